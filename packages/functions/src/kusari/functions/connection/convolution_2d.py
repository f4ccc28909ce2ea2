"""Two-dimensional convolution (``F.convolution_2d``)."""
from kusari.functions.connection._conv_nodes import ConvolutionND, ConvolutionNDGradW


class Convolution2DFunction(ConvolutionND):
    """Two-dimensional convolution node (see :func:`convolution_2d`).

    Args:
        stride, pad, cover_all: as in :func:`convolution_2d`.
        dilate (int or pair of ints), groups (int): keyword arguments, as in
            :func:`convolution_2d`.
    """

    def __init__(self, stride=1, pad=0, cover_all=False, *, dilate=1, groups=1):
        super().__init__(2, stride, pad, cover_all, dilate, groups)


class Convolution2DGradW(ConvolutionNDGradW):
    """Weight gradient of :class:`Convolution2DFunction` (inputs ``x``, ``gy``)."""

    def __init__(self, conv2d, w_shape, w_dtype):
        super().__init__(2, tuple(w_shape[2:]), w_dtype, conv2d.stride, conv2d.pad,
                         conv2d.cover_all, conv2d.dilate, conv2d.groups)


def convolution_2d(x, W, b=None, stride=1, pad=0, cover_all=False, *, dilate=1,
                   groups=1):
    """Two-dimensional convolution.

    Computes ``y[n, o, i, j] = b[o] + sum_{c, p, q} W[o, c, p, q] *
    x[n, g(o) * C/G + c, i * sy - ph + p * dy, j * sx - pw + q * dx]`` where the input
    is zero-padded by ``pad`` and ``g(o)`` is the group of output channel ``o``.  The
    CPU path builds the patch matrix with a Cython im2col and multiplies it with one
    batched GEMM.

    Args:
        x (Variable or array): input of shape ``(N, C, H, W)``, float16/32/64.
        W (Variable or array): filters of shape ``(OC, C / groups, kH, kW)``.
        b (Variable or array): optional bias of shape ``(OC,)`` (dtype of ``x``).
        stride (int or pair of ints): ``(sy, sx)``; an int means both.
        pad (int or pair of ints): zero padding ``(ph, pw)`` on each side.
        cover_all (bool): if True, add output positions so that every input pixel is
            covered by some filter (the last window may stick out of the padding).
        dilate (int or pair of ints): filter dilation ``(dy, dx)``.
        groups (int): number of channel groups; ``C`` and ``OC`` must be divisible
            by it.

    Returns:
        Variable: output of shape ``(N, OC, outH, outW)`` with
        ``outH = (H + 2 ph - (kH - 1) * dy - 1) // sy + 1`` (one more with
        ``cover_all`` when the last window is partial), likewise ``outW``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> W = numpy.ones((1, 1, 2, 2), numpy.float32)
    >>> F.convolution_2d(x, W, stride=2).array
    array([[[[10., 18.],
             [42., 50.]]]], dtype=float32)
    """
    f = ConvolutionND(2, stride, pad, cover_all, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return f.apply(args)[0]
