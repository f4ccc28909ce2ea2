"""Two-dimensional dilated convolution layer."""
import kusari.functions as F
from kusari.links import _util
from kusari.links.connection import _conv_base


class DilatedConvolution2D(_conv_base._ConvBase):
    """Two-dimensional dilated convolution (wraps :func:`kusari.functions.dilated_convolution_2d`).

    Args:
        in_channels (int or None): Number of input channels ``C``; ``None`` defers
            the creation of ``W`` to the first call.  Short form:
            ``DilatedConvolution2D(out_channels, ksize, ...)``.
        out_channels (int): Number of output channels ``M``.
        ksize (int or pair of ints): Filter size.
        stride (int or pair of ints): Stride.
        pad (int or pair of ints): Spatial padding.
        dilate (int or pair of ints): Dilation factor.
        nobias (bool): If ``True``, no bias.
        initialW: Initializer of ``W``; ``None`` means LeCunNormal.
        initial_bias: Initializer of ``b``; ``None`` means zero.

    Attributes:
        W (~kusari.Parameter): Filter, ``(M, C, kh, kw)``.
        b (~kusari.Parameter): Bias, ``(M,)``, or ``None``.

    >>> import kusari.links as L
    >>> L.DilatedConvolution2D(3, 4, 3, dilate=2).W.shape
    (4, 3, 3, 3)
    """

    _name = 'DilatedConvolution2D'
    _ndim = 2

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 dilate=1, nobias=False, initialW=None, initial_bias=None):
        super().__init__()
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self.ksize = ksize
        self.stride = _util.pair(stride)
        self.pad = _util.pair(pad)
        self.dilate = _util.pair(dilate)
        self._setup(in_channels, out_channels, ksize, 1, nobias, initialW,
                    initial_bias)

    def forward(self, x):
        """Apply the dilated convolution.

        Args:
            x (~kusari.Variable or array): Input, ``(N, C, H, W)``.

        Returns:
            ~kusari.Variable: Output, ``(N, M, H', W')``.

        """
        self._prepare(x)
        return F.dilated_convolution_2d(x, self.W, self.b, self.stride, self.pad,
                                        self.dilate)
