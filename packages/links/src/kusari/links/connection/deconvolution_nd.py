"""N-dimensional deconvolution layers (DeconvolutionND, Deconvolution1D, Deconvolution3D)."""
import kusari.functions as F
from kusari.links import _util
from kusari.links.connection import _conv_base


class DeconvolutionND(_conv_base._ConvBase):
    """N-dimensional deconvolution layer (wraps :func:`kusari.functions.deconvolution_nd`).

    Args:
        ndim (int): Number of spatial dimensions ``N``.
        in_channels (int or None): Number of input channels ``C``; ``None`` defers
            the creation of ``W`` to the first call.  With ``ksize=None`` the
            arguments shift: ``DeconvolutionND(ndim, out_channels, ksize)``.
        out_channels (int): Number of output channels ``M``.
        ksize (int or tuple of ints): Filter size.
        stride (int or tuple of ints): Stride.
        pad (int or tuple of ints): Spatial padding.
        nobias (bool): If ``True``, no bias.
        outsize (tuple of ints): Expected output size; ``None`` computes it.
        initialW: Initializer of ``W``; ``None`` means LeCunNormal.
        initial_bias: Initializer of ``b``; ``None`` means zero.
        dilate (int or tuple of ints): Dilation factor.
        groups (int): Number of groups of channels.

    Attributes:
        W (~kusari.Parameter): Filter, ``(C, M // groups, k_1, ..., k_N)``.
        b (~kusari.Parameter): Bias, ``(M,)``, or ``None``.

    >>> import kusari.links as L
    >>> L.DeconvolutionND(3, 2, 4, 3).W.shape
    (2, 4, 3, 3, 3)
    """

    _name = 'DeconvolutionND'
    _transposed = True

    def __init__(self, ndim, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, outsize=None, initialW=None, initial_bias=None,
                 dilate=1, groups=1):
        super().__init__()
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self._ndim = int(ndim)
        self.ksize = _util.as_tuple(ksize, self._ndim)
        self.stride = stride
        self.pad = pad
        self.outsize = outsize
        self.dilate = _util.as_tuple(dilate, self._ndim)
        self._setup(in_channels, out_channels, ksize, groups, nobias, initialW,
                    initial_bias)

    @property
    def printable_specs(self):
        """The constructor arguments."""
        yield 'ndim', self._ndim
        yield 'in_channels', self._in_channels()
        yield 'out_channels', self.out_channels
        yield 'ksize', self.ksize
        yield 'stride', self.stride
        yield 'pad', self.pad
        yield 'nobias', self.b is None
        yield 'outsize', self.outsize
        yield 'dilate', self.dilate
        yield 'groups', self.groups

    def forward(self, x):
        """Apply the deconvolution.

        Args:
            x (~kusari.Variable or array): Input, ``(B, C, d_1, ..., d_N)``.

        Returns:
            ~kusari.Variable: Output, ``(B, M, d'_1, ..., d'_N)``.

        """
        self._prepare(x)
        return F.deconvolution_nd(x, self.W, self.b, self.stride, self.pad,
                                  outsize=self.outsize, dilate=self.dilate,
                                  groups=self.groups)


class Deconvolution1D(DeconvolutionND):
    """One-dimensional deconvolution layer: :class:`DeconvolutionND` with ``ndim=1``.

    >>> import kusari.links as L
    >>> L.Deconvolution1D(2, 4, 3).W.shape
    (2, 4, 3)
    """

    _name = 'Deconvolution1D'

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, outsize=None, initialW=None, initial_bias=None,
                 dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias,
                         outsize, initialW, initial_bias, dilate, groups)


class Deconvolution3D(DeconvolutionND):
    """Three-dimensional deconvolution layer: :class:`DeconvolutionND` with ``ndim=3``.

    >>> import kusari.links as L
    >>> L.Deconvolution3D(2, 4, 3).W.shape
    (2, 4, 3, 3, 3)
    """

    _name = 'Deconvolution3D'

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, outsize=None, initialW=None, initial_bias=None,
                 dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias,
                         outsize, initialW, initial_bias, dilate, groups)
