"""Deformable convolution layers (``L.DeformableConvolution2D``)."""
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util
from kusari.links.connection.convolution_2d import Convolution2D


class DeformableConvolution2DSampler(link.Link):
    """Deformable convolution using given offsets (its ``W`` and ``b``).

    Args:
        in_channels (int or None): input channels ``C`` (``None``: on first call).
        out_channels (int): output channels ``M``.
        ksize (int or pair of ints): filter size ``(kh, kw)``.
        stride (int or pair of ints): stride.
        pad (int or pair of ints): padding.
        nobias (bool): no bias if ``True``.
        initialW: initializer of ``W``; ``None`` means zero (as in Chainer).
        initial_bias: initializer of ``b``; ``None`` means zero.

    Attributes:
        W (~kusari.Parameter): ``(M, C, kh, kw)``.
        b (~kusari.Parameter): ``(M,)`` or ``None``.
    """

    def __init__(self, in_channels, out_channels, ksize, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None):
        super().__init__()
        self.ksize = ksize
        self.stride = _util.pair(stride)
        self.pad = _util.pair(pad)
        self.out_channels = out_channels
        self.initialW = initialW
        if initialW is None:
            initialW = initializers.Zero()
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
        self.W.initialize((self.out_channels, in_channels, kh, kw))
        if self.b is not None:
            self.b.initialize((self.out_channels,))

    def forward(self, x, offset):
        """Apply the deformable convolution with ``offset`` (see
        :func:`kusari.functions.deformable_convolution_2d_sampler`)."""
        if self.W.array is None:
            self._initialize_params(x.shape[1])
        return F.deformable_convolution_2d_sampler(x, offset, self.W, self.b,
                                                   self.stride, self.pad)


class DeformableConvolution2D(link.Chain):
    """Two-dimensional deformable convolutional layer.

    An ordinary convolution (``offset_conv``) computes ``2 * kh * kw`` offset maps
    from the input; ``deform_conv`` (a :class:`DeformableConvolution2DSampler`)
    convolves the input sampled at the offset tap positions.

    Args:
        in_channels (int or None): input channels (``None``: on first call).
        out_channels (int): output channels.
        ksize (int or pair of ints): filter size.
        stride (int or pair of ints): stride of both convolutions.
        pad (int or pair of ints): padding of both convolutions.
        offset_nobias, offset_initialW, offset_initial_bias: ``nobias``,
            ``initialW`` and ``initial_bias`` of ``offset_conv``.
        deform_nobias, deform_initialW, deform_initial_bias: the same for
            ``deform_conv``.

    >>> import numpy, kusari.links as L
    >>> l = L.DeformableConvolution2D(3, 4, 3, pad=1)
    >>> l.offset_conv.W.shape, l.deform_conv.W.shape
    ((18, 3, 3, 3), (4, 3, 3, 3))
    >>> l(numpy.zeros((1, 3, 5, 5), numpy.float32)).shape
    (1, 4, 5, 5)
    """

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 offset_nobias=False, offset_initialW=None, offset_initial_bias=None,
                 deform_nobias=False, deform_initialW=None, deform_initial_bias=None):
        super().__init__()
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        kh, kw = _util.pair(ksize)
        with self.init_scope():
            self.offset_conv = Convolution2D(
                in_channels, 2 * kh * kw, ksize, stride, pad, offset_nobias,
                offset_initialW, offset_initial_bias)
            self.deform_conv = DeformableConvolution2DSampler(
                in_channels, out_channels, ksize, stride, pad, deform_nobias,
                deform_initialW, deform_initial_bias)

    def forward(self, x):
        """Apply the deformable convolution to ``x`` of shape ``(N, C, H, W)``."""
        offset = self.offset_conv(x)
        return self.deform_conv(x, offset)
