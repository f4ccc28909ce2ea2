"""Two-dimensional dilated convolution (``F.dilated_convolution_2d``)."""
from kusari.functions.connection._conv_nodes import ConvolutionND


def dilated_convolution_2d(x, W, b=None, stride=1, pad=0, dilate=1, cover_all=False):
    """Two-dimensional dilated (atrous) convolution.

    The same as :func:`convolution_2d` with ``dilate``: filter taps are ``dilate``
    pixels apart, so a ``k x k`` filter spans ``(k - 1) * dilate + 1`` pixels.

    Args:
        x (Variable or array): input of shape ``(N, C, H, W)``.
        W (Variable or array): filters of shape ``(OC, C, kH, kW)``.
        b (Variable or array): optional bias of shape ``(OC,)``.
        stride (int or pair of ints): stride of the filter applications.
        pad (int or pair of ints): zero padding on each side.
        dilate (int or pair of ints): dilation factor of the filter.
        cover_all (bool): as in :func:`convolution_2d`.

    Returns:
        Variable: output of shape ``(N, OC, outH, outW)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(9, dtype=numpy.float32).reshape(1, 1, 3, 3)
    >>> W = numpy.ones((1, 1, 2, 2), numpy.float32)
    >>> F.dilated_convolution_2d(x, W, dilate=2).array   # corners: 0 + 2 + 6 + 8
    array([[[[16.]]]], dtype=float32)
    """
    f = ConvolutionND(2, stride, pad, cover_all, dilate, 1)
    args = (x, W) if b is None else (x, W, b)
    return f.apply(args)[0]
