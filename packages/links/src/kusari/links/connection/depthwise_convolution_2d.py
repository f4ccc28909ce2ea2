"""Two-dimensional depthwise convolution layer."""
import numpy

import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util


class DepthwiseConvolution2D(link.Link):
    """Two-dimensional depthwise convolution (wraps :func:`kusari.functions.depthwise_convolution_2d`).

    Each input channel is convolved with its own ``channel_multiplier`` filters;
    the output has ``in_channels * channel_multiplier`` channels.

    Args:
        in_channels (int or None): Number of input channels ``C``; ``None`` defers
            the creation of ``W`` and ``b`` to the first call.
        channel_multiplier (int): Number of filters per input channel ``M``.
        ksize (int or pair of ints): Filter size.
        stride (int or pair of ints): Stride.
        pad (int or pair of ints): Spatial padding.
        nobias (bool): If ``True``, no bias.
        initialW: Initializer of ``W``; ``None`` means
            ``HeNormal(1 / sqrt(2))`` (Chainer's default).
        initial_bias: Initializer of ``b``; ``None`` means zero.

    Attributes:
        W (~kusari.Parameter): Filter, ``(M, C, kh, kw)``.
        b (~kusari.Parameter): Bias, ``(M * C,)``, or ``None``.

    >>> import kusari.links as L
    >>> l = L.DepthwiseConvolution2D(3, 2, 3)
    >>> l.W.shape, l.b.shape
    ((2, 3, 3, 3), (6,))
    """

    def __init__(self, in_channels, channel_multiplier, ksize, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None):
        super().__init__()
        self.ksize = ksize
        self.stride = _util.pair(stride)
        self.pad = _util.pair(pad)
        self.channel_multiplier = channel_multiplier
        self.nobias = nobias
        if initialW is None:
            initialW = initializers.HeNormal(1. / numpy.sqrt(2))
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(initialW))
            if nobias:
                self.b = None
            else:
                if initial_bias is None:
                    initial_bias = initializers.Constant(0)
                self.b = variable.Parameter(initializers._get_initializer(initial_bias))
        if in_channels is not None:
            self._initialize_params(in_channels)

    def _initialize_params(self, in_channels):
        kh, kw = _util.pair(self.ksize)
        self.W.initialize((self.channel_multiplier, in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize(self.channel_multiplier * in_channels)

    def forward(self, x):
        """Apply the depthwise convolution.

        Args:
            x (~kusari.Variable or array): Input, ``(N, C, H, W)``.

        Returns:
            ~kusari.Variable: Output, ``(N, C * M, H', W')``.

        """
        _util.check_ndim('DepthwiseConvolution2D', x, 4)
        if self.W.array is None:
            self._initialize_params(_util.shape_of(x)[1])
        else:
            _util.check_channels('DepthwiseConvolution2D', x, self.W.shape[1])
        return F.depthwise_convolution_2d(x, self.W, self.b, self.stride, self.pad)
