"""Two-dimensional convolution layer."""
import kusari.functions as F
from kusari.links import _util
from kusari.links.connection import _conv_base
from kusari.utils import argument


class Convolution2D(_conv_base._ConvBase):
    """Two-dimensional convolutional layer (wraps :func:`kusari.functions.convolution_2d`).

    ``Convolution2D(in_channels, out_channels, ksize, ...)``, or the short form
    ``Convolution2D(out_channels, ksize, ...)`` whose input channels are inferred on
    the first call.

    Args:
        in_channels (int or None): Number of input channels ``C``; ``None`` defers
            the creation of ``W`` to the first forward pass.
        out_channels (int): Number of output channels ``M``.
        ksize (int or pair of ints): Filter size ``(kh, kw)``.
        stride (int or pair of ints): Stride ``(sy, sx)``.
        pad (int or pair of ints): Spatial padding ``(ph, pw)``.
        nobias (bool): If ``True``, no bias (``b`` is ``None``).
        initialW: Initializer of ``W``; ``None`` means LeCunNormal.
        initial_bias: Initializer of ``b``; ``None`` means zero.
        dilate (int or pair of ints): Dilation factor (keyword only).
        groups (int): Number of groups of channels (keyword only).

    Attributes:
        W (~kusari.Parameter): Filter, ``(M, C // groups, kh, kw)``.
        b (~kusari.Parameter): Bias, ``(M,)``, or ``None``.

    >>> import numpy, kusari.links as L
    >>> l = L.Convolution2D(3, 4, 3, pad=1)
    >>> l.W.shape, l.b.shape
    ((4, 3, 3, 3), (4,))
    >>> L.Convolution2D(4, 3).W.array is None    # short form, lazy in_channels
    True
    """

    _name = 'Convolution2D'
    _ndim = 2

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None, **kwargs):
        super().__init__()
        dilate, groups = argument.parse_kwargs(
            kwargs, ('dilate', 1), ('groups', 1),
            deterministic='deterministic argument is not supported anymore. '
            'Use kusari.using_config(\'cudnn_deterministic\', value) context '
            'where value is either `True` or `False`.')
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self.ksize = ksize
        self.stride = _util.pair(stride)
        self.pad = _util.pair(pad)
        self.dilate = _util.pair(dilate)
        self._setup(in_channels, out_channels, ksize, groups, nobias, initialW,
                    initial_bias)

    @property
    def printable_specs(self):
        """The constructor arguments."""
        yield 'in_channels', self._in_channels()
        yield 'out_channels', self.out_channels
        yield 'ksize', self.ksize
        yield 'stride', self.stride
        yield 'pad', self.pad
        yield 'nobias', self.b is None
        yield 'dilate', self.dilate
        yield 'groups', self.groups

    def forward(self, x):
        """Apply the convolution.

        Args:
            x (~kusari.Variable or array): Input, ``(N, C, H, W)``.

        Returns:
            ~kusari.Variable: Output, ``(N, M, H', W')``.

        """
        self._prepare(x)
        return F.convolution_2d(x, self.W, self.b, self.stride, self.pad,
                                dilate=self.dilate, groups=self.groups)
