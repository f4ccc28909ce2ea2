"""Upsampling with max-pooling indexes (``F.upsampling_2d``)."""
from kusari.functions.pooling._pool_nodes import Upsampling2D


def upsampling_2d(x, indexes, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Upsampling using pooling indices (the inverse of :func:`max_pooling_2d`).

    Each ``x[n, c, i, j]`` is added at the position of its window that
    ``indexes[n, c, i, j]`` (a flat kernel offset ``ky * kw + kx``, as returned by
    ``max_pooling_2d(..., return_indices=True)``) points to; everything else is 0.

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        indexes (array): integer array of ``x``'s shape with values in
            ``[0, kh * kw)`` (else ValueError).
        ksize (int or pair of ints): window size of the pooling.
        stride (int, pair of ints or None): stride; None means ``ksize``.
        pad (int or pair of ints): padding of the pooling.
        outsize (None or pair of ints): output ``(h_O, w_O)``; by default the
            inverse of the pooling's output size.
        cover_all (bool): the ``cover_all`` of the pooling.

    Returns:
        Variable: output of shape ``(n, c, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[[[5., 7.]]]], numpy.float32)
    >>> idx = numpy.array([[[[3, 0]]]], numpy.int32)
    >>> F.upsampling_2d(x, idx, 2, outsize=(2, 4)).array
    array([[[[0., 0., 7., 0.],
             [0., 5., 0., 0.]]]], dtype=float32)
    """
    return Upsampling2D(indexes, ksize, stride, pad, outsize, cover_all).apply((x,))[0]
