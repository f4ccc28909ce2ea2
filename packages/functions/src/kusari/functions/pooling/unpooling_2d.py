"""Two-dimensional unpooling (``F.unpooling_2d``)."""
from kusari.functions.pooling._pool_nodes import UnpoolingND


class Unpooling2D(UnpoolingND):
    """Two-dimensional unpooling node (see :func:`unpooling_2d`)."""

    def __init__(self, ksize, stride=None, pad=0, outsize=None, cover_all=True):
        super().__init__(2, ksize, stride, pad, outsize, cover_all)


def unpooling_2d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Inverse operation of pooling for 2-D arrays.

    Every input pixel is copied to all positions of its window in the output
    (window ``(i, j)`` starts at ``(i * sy - ph, j * sx - pw)``); overlapping windows
    add up and positions in the padding are dropped.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        ksize (int or pair of ints): window size.
        stride (int, pair of ints or None): stride; None means ``ksize``.
        pad (int or pair of ints): padding removed from the output.
        outsize (None or pair of ints): output ``(h_O, w_O)``; by default
            ``sy * (h - 1) + kh - 2 ph`` (``- sy + 1`` more with ``cover_all``).
            A given size must pool back to ``(h, w)``.
        cover_all (bool): the ``cover_all`` of the pooling this inverts.

    Returns:
        Variable: output of shape ``(n, c, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[[[1., 2.]]]], numpy.float32)
    >>> F.unpooling_2d(x, 2, cover_all=False).array
    array([[[[1., 1., 2., 2.],
             [1., 1., 2., 2.]]]], dtype=float32)
    """
    return UnpoolingND(2, ksize, stride, pad, outsize, cover_all).apply((x,))[0]
