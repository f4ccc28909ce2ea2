"""N-dimensional convolution layers (ConvolutionND, Convolution1D, Convolution3D)."""
import kusari.functions as F
from kusari import variable
from kusari.links import _util
from kusari.links.connection import _conv_base


class ConvolutionND(_conv_base._ConvBase):
    """N-dimensional convolution layer (wraps :func:`kusari.functions.convolution_nd`).

    Args:
        ndim (int): Number of spatial dimensions ``N``.
        in_channels (int or None): Number of input channels ``C``; ``None`` defers
            the creation of ``W`` to the first call.  With ``ksize=None`` the
            arguments shift: ``ConvolutionND(ndim, out_channels, ksize)``.
        out_channels (int): Number of output channels ``M``.
        ksize (int or tuple of ints): Filter size ``(k_1, ..., k_N)``.
        stride (int or tuple of ints): Stride.
        pad (int or tuple of ints): Spatial padding.
        nobias (bool): If ``True``, no bias.
        initialW: Initializer of ``W``; ``None`` means LeCunNormal.
        initial_bias: Initializer of ``b``; ``None`` means zero.
        cover_all (bool): If ``True``, all spatial locations are convoluted into
            some output pixels (may add one output per dimension).
        dilate (int or tuple of ints): Dilation factor.
        groups (int): Number of groups of channels.

    Attributes:
        W (~kusari.Parameter): Filter, ``(M, C // groups, k_1, ..., k_N)``.
        b (~kusari.Parameter): Bias, ``(M,)``, or ``None``.

    >>> import kusari.links as L
    >>> L.ConvolutionND(3, 2, 4, 3).W.shape
    (4, 2, 3, 3, 3)
    """

    _name = 'ConvolutionND'

    def __init__(self, ndim, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None, cover_all=False,
                 dilate=1, groups=1):
        super().__init__()
        if ksize is None:
            out_channels, ksize, in_channels = in_channels, out_channels, None
        self._ndim = int(ndim)
        self.ksize = _util.as_tuple(ksize, self._ndim)
        self.stride = stride
        self.pad = pad
        self.cover_all = cover_all
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
        yield 'cover_all', self.cover_all
        yield 'dilate', self.dilate
        yield 'groups', self.groups

    @classmethod
    def from_params(cls, W, b=None, stride=1, pad=0, nobias=False, *, cover_all=False,
                    dilate=1, groups=1):
        """A layer whose ``W`` (and ``b``) are copies of the given ones (Chainer's).

        Args:
            W (~kusari.Variable or array): ``(out_channels, in_channels // groups,
                k_1, ..., k_N)`` filter; ``N`` is taken from it.
            b (~kusari.Variable or array): ``(out_channels,)`` bias, or ``None``.
            stride, pad, nobias, cover_all, dilate, groups: as in the constructor.

        >>> import numpy, kusari.links as L
        >>> L.ConvolutionND.from_params(numpy.ones((4, 2, 3, 3), numpy.float32)).W.shape
        (4, 2, 3, 3)
        """
        W = _param_array(W, cls.__name__, 'W')
        if W.ndim < 3:
            raise ValueError('%s.from_params: W must have at least 3 dimensions '
                             '(out_channels, in_channels // groups, k_1, ...), got shape %s'
                             % (cls.__name__, W.shape))
        out_channels, in_per_group = W.shape[:2]
        ksize = tuple(W.shape[2:])
        if b is not None and not nobias:
            b = _param_array(b, cls.__name__, 'b')
            if b.shape != (out_channels,):
                raise ValueError('%s.from_params: b must have shape (%d,), got %s'
                                 % (cls.__name__, out_channels, b.shape))
        else:
            b = None
        args = (in_per_group * groups, out_channels, ksize, stride, pad, nobias, W, b,
                cover_all, dilate, groups)
        if cls is ConvolutionND:
            return cls(len(ksize), *args)
        return cls(*args)

    def forward(self, x):
        """Apply the convolution.

        Args:
            x (~kusari.Variable or array): Input, ``(B, C, d_1, ..., d_N)``.

        Returns:
            ~kusari.Variable: Output, ``(B, M, d'_1, ..., d'_N)``.

        """
        self._prepare(x)
        return F.convolution_nd(x, self.W, self.b, self.stride, self.pad,
                                cover_all=self.cover_all, dilate=self.dilate,
                                groups=self.groups)


class Convolution1D(ConvolutionND):
    """One-dimensional convolution layer: :class:`ConvolutionND` with ``ndim=1``.

    Args are those of :class:`ConvolutionND` without ``ndim``; ``W`` has shape
    ``(out_channels, in_channels // groups, k)`` and inputs ``(B, C, L)``.

    >>> import kusari.links as L
    >>> L.Convolution1D(2, 4, 3).W.shape
    (4, 2, 3)
    """

    _name = 'Convolution1D'

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None, cover_all=False,
                 dilate=1, groups=1):
        super().__init__(1, in_channels, out_channels, ksize, stride, pad, nobias,
                         initialW, initial_bias, cover_all, dilate, groups)


class Convolution3D(ConvolutionND):
    """Three-dimensional convolution layer: :class:`ConvolutionND` with ``ndim=3``.

    Args are those of :class:`ConvolutionND` without ``ndim``; ``W`` has shape
    ``(out_channels, in_channels // groups, kd, kh, kw)`` and inputs
    ``(B, C, D, H, W)``.

    >>> import kusari.links as L
    >>> L.Convolution3D(2, 4, 3).W.shape
    (4, 2, 3, 3, 3)
    """

    _name = 'Convolution3D'

    def __init__(self, in_channels, out_channels, ksize=None, stride=1, pad=0,
                 nobias=False, initialW=None, initial_bias=None, cover_all=False,
                 dilate=1, groups=1):
        super().__init__(3, in_channels, out_channels, ksize, stride, pad, nobias,
                         initialW, initial_bias, cover_all, dilate, groups)


def _param_array(value, who, name):
    """The array of a Parameter/Variable/array argument of ``from_params`` (a copy)."""
    array = value.array if isinstance(value, variable.Variable) else value
    if array is None or not hasattr(array, 'shape'):
        raise ValueError('%s.from_params: %s must be an initialized parameter or an '
                         'array, got %s' % (who, name, type(value).__name__))
    return array.copy()
