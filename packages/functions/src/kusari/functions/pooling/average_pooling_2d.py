"""Two-dimensional average pooling (``F.average_pooling_2d``)."""
from kusari.functions.pooling._pool_nodes import AveragePoolingND


class AveragePooling2D(AveragePoolingND):
    """Two-dimensional average pooling node (see :func:`average_pooling_2d`)."""

    def __init__(self, ksize, stride=None, pad=0, cover_all=False):
        super().__init__(2, ksize, stride, pad, cover_all, 0)


def average_pooling_2d(x, ksize, stride=None, pad=0):
    """Spatial average pooling.

    Each output is the sum of its window divided by ``kh * kw``: padded positions
    count as zeros (Chainer's ``pad_value=0`` behaviour), so border averages are
    biased towards zero.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        ksize (int or pair of ints): window size.
        stride (int, pair of ints or None): stride; None means ``ksize``.
        pad (int or pair of ints): zero padding on each side.

    Returns:
        Variable: output of shape ``(n, c, h_O, w_O)`` with
        ``h_O = (h + 2 ph - kh) // sy + 1`` (likewise ``w_O``).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> F.average_pooling_2d(x, 2).array
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]], dtype=float32)
    """
    return AveragePoolingND(2, ksize, stride, pad).apply((x,))[0]
