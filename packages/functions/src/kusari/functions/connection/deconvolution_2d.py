"""Two-dimensional transposed convolution (``F.deconvolution_2d``)."""
from kusari.functions.connection._conv_nodes import DeconvolutionND


class Deconvolution2DFunction(DeconvolutionND):
    """Two-dimensional transposed convolution node (see :func:`deconvolution_2d`)."""

    def __init__(self, stride=1, pad=0, outsize=None, *, dilate=1, groups=1):
        super().__init__(2, stride, pad, outsize, dilate, groups)


def deconvolution_2d(x, W, b=None, stride=1, pad=0, outsize=None, *, dilate=1,
                     groups=1):
    """Two-dimensional deconvolution (transposed convolution).

    The adjoint of :func:`convolution_2d` with respect to its input: every input
    pixel ``x[n, c, i, j]`` adds ``x[n, c, i, j] * W[c, o, p, q]`` to
    ``y[n, o', i * sy - ph + p * dy, j * sx - pw + q * dx]`` (positions in the
    padding are dropped), plus ``b[o']``.

    Args:
        x (Variable or array): input of shape ``(N, C, H, W)``.
        W (Variable or array): filters of shape ``(C, OC / groups, kH, kW)``.
        b (Variable or array): optional bias of shape ``(OC,)``.
        stride (int or pair of ints): stride ``(sy, sx)``.
        pad (int or pair of ints): padding ``(ph, pw)`` removed from the output.
        outsize (None or pair of ints): output ``(outH, outW)``; by default
            ``sy * (H - 1) + (kH - 1) * dy + 1 - 2 * ph`` (likewise for the width).
            Any size whose convolution (with or without ``cover_all``) gives back
            ``(H, W)`` is accepted.
        dilate (int or pair of ints): filter dilation.
        groups (int): number of channel groups.

    Returns:
        Variable: output of shape ``(N, OC, outH, outW)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[[[1., 2.]]]], numpy.float32)
    >>> W = numpy.ones((1, 1, 1, 2), numpy.float32)
    >>> F.deconvolution_2d(x, W).array
    array([[[[1., 3., 2.]]]], dtype=float32)
    """
    f = DeconvolutionND(2, stride, pad, outsize, dilate, groups)
    args = (x, W) if b is None else (x, W, b)
    return f.apply(args)[0]
