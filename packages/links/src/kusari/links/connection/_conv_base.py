"""Parameter handling shared by the convolution and deconvolution links."""
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util


class _ConvBase(link.Link):
    # Holds W (lazily shaped from the input channels) and b.  Subclasses set
    # ``_name``, ``_ndim``, ``_transposed`` and call ``_setup``.

    _name = 'Convolution'
    _ndim = 2
    _transposed = False

    def _setup(self, in_channels, out_channels, ksize, groups, nobias, initialW,
               initial_bias):
        self.out_channels = out_channels
        self.groups = int(groups)
        if self.groups < 1:
            raise ValueError('{}: groups must be a positive integer, but got {}'.format(
                self._name, groups))
        if out_channels % self.groups != 0:
            raise ValueError(
                '{}: the number of output channels ({}) must be divisible by the '
                'number of groups ({})'.format(self._name, out_channels, self.groups))
        self._ksize_tuple = _util.as_tuple(ksize, self._ndim)
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_channels is not None:
                self._initialize_params(in_channels)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(
                    initializers._get_initializer(initial_bias), out_channels)

    def _initialize_params(self, in_channels):
        if in_channels % self.groups != 0:
            raise ValueError(
                '{}: the number of input channels ({}) must be divisible by the '
                'number of groups ({})'.format(self._name, in_channels, self.groups))
        if self._transposed:
            shape = (in_channels, self.out_channels // self.groups)
        else:
            shape = (self.out_channels, in_channels // self.groups)
        self.W.initialize(shape + self._ksize_tuple)

    def _in_channels(self):
        # The number of input channels W was created for (None before the first call).
        if self.W.array is None:
            return None
        if self._transposed:
            return self.W.shape[0]
        return self.W.shape[1] * self.groups

    def _prepare(self, x):
        # Validate the input and create W on the first call.
        _util.check_ndim(self._name, x, self._ndim + 2)
        in_channels = self._in_channels()
        if in_channels is None:
            self._initialize_params(_util.shape_of(x)[1])
        else:
            _util.check_channels(self._name, x, in_channels)
