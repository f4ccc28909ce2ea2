"""Locally-connected 2-D convolution layer (``L.LocalConvolution2D``)."""
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util


class LocalConvolution2D(link.Link):
    """Two-dimensional local convolutional layer (unshared weights).

    Args:
        in_channels (int or None): input channels ``C`` (``None``: on first call).
        out_channels (int): output channels ``M``.
        in_size (int, pair of ints or None): input spatial size ``(H, W)``
            (``None``: on first call).
        ksize (int or pair of ints): filter size ``(kh, kw)``.
        stride (int or pair of ints): stride.
        nobias (bool): no bias if ``True``.
        initialW: initializer of ``W`` (``None``: LeCunNormal).
        initial_bias: initializer of ``b`` (``None``: zero).

    Attributes:
        W (~kusari.Parameter): ``(M, H_O, W_O, C, kh, kw)``.
        b (~kusari.Parameter): ``(M, H_O, W_O)`` or ``None``.

    >>> import kusari.links as L
    >>> l = L.LocalConvolution2D(3, 2, in_size=5, ksize=3)
    >>> l.W.shape, l.b.shape
    ((2, 3, 3, 3, 3, 3), (2, 3, 3))
    """

    def __init__(self, in_channels, out_channels, in_size=None, ksize=None, stride=1,
                 nobias=False, initialW=None, initial_bias=None, **kwargs):
        super().__init__()
        self.ksize = ksize
        self.stride = _util.pair(stride)
        self.nobias = nobias
        self.out_channels = out_channels
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = 0
                self.b = variable.Parameter(initializers._get_initializer(initial_bias))
        if in_channels is not None and in_size is not None:
            self._initialize_params(in_channels, _util.pair(in_size))

    def _initialize_params(self, in_channels, in_size):
        kh, kw = _util.pair(self.ksize)
        sy, sx = self.stride
        out_h = (in_size[0] - kh) // sy + 1
        out_w = (in_size[1] - kw) // sx + 1
        if out_h < 1 or out_w < 1:
            raise ValueError('LocalConvolution2D: input size %s is smaller than the '
                             'filter %s' % (tuple(in_size), (kh, kw)))
        self.W.initialize((self.out_channels, out_h, out_w, in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize((self.out_channels, out_h, out_w))

    def forward(self, x):
        """Apply the local convolution to ``x`` of shape ``(N, C, H, W)``."""
        if self.W.array is None:
            _util.check_ndim('LocalConvolution2D', x, 4)
            self._initialize_params(x.shape[1], x.shape[2:])
        return F.local_convolution_2d(x, self.W, self.b, self.stride)
