"""Fully-connected layer with simplified dropconnect."""
import numpy

import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import utils
from kusari import variable
from kusari.links import _util


class SimplifiedDropconnect(link.Link):
    """Fully-connected layer with simplified dropconnect regularization.

    Wraps :func:`kusari.functions.simplified_dropconnect`: in training the
    weights are randomly dropped with probability ``ratio`` (and the rest scaled
    by ``1 / (1 - ratio)``).

    Args:
        in_size (int or None): Dimension of the input vectors (``None``: lazy).
            ``SimplifiedDropconnect(out_size)`` is not supported; give both.
        out_size (int): Dimension of the output vectors.
        ratio (float): Dropconnect ratio.
        nobias (bool): If ``True``, no bias.
        initialW: Initializer of ``W`` ``(out_size, in_size)``; ``None`` means
            ``HeNormal(1 / sqrt(2))``.
        initial_bias: Initializer of ``b``; ``None`` means zero.

    >>> import kusari.links as L
    >>> L.SimplifiedDropconnect(3, 2).W.shape
    (2, 3)
    """

    def __init__(self, in_size, out_size, ratio=.5, nobias=False,
                 initialW=None, initial_bias=None):
        super().__init__()
        self.out_size = out_size
        self.ratio = ratio
        if initialW is None:
            initialW = initializers.HeNormal(1. / numpy.sqrt(2))
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if in_size is not None:
                self._initialize_params(in_size)
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = initializers.Constant(0)
                self.b = variable.Parameter(
                    initializers._get_initializer(initial_bias), out_size)

    def _initialize_params(self, in_size):
        self.W.initialize((self.out_size, in_size))

    def forward(self, x, train=True, mask=None, use_batchwise_mask=True):
        """Apply the layer.

        Args:
            x (~kusari.Variable or array): Input, ``(N, ...)`` flattened to
                ``(N, in_size)``.
            train (bool): Drop weights when ``True``; behave as :class:`Linear`
                otherwise.
            mask (array or None): A given 0/1 mask of shape
                ``(N, out_size, in_size)`` (or ``(out_size, in_size)`` when not
                batchwise); ``None`` draws one.  A given mask is stored as the
                persistent value ``mask``.
            use_batchwise_mask (bool): Draw a different mask for each sample.

        Returns:
            ~kusari.Variable: Output, ``(N, out_size)``.

        """
        shape = _util.check_min_ndim('SimplifiedDropconnect', x, 2)
        in_size = utils.size_of_shape(shape[1:])
        if self.W.array is None:
            self._initialize_params(in_size)
        elif in_size != self.W.shape[1]:
            raise _util.invalid(
                'SimplifiedDropconnect',
                'size of x.shape[1:] == in_size == {}'.format(self.W.shape[1]),
                'x.shape == {}'.format(shape))
        if mask is not None and 'mask' not in self.__dict__:
            self.add_persistent('mask', mask)
        return F.simplified_dropconnect(x, self.W, self.b, self.ratio, train, mask,
                                        use_batchwise_mask)
