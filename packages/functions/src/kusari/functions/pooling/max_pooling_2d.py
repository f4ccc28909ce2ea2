"""Two-dimensional max pooling (``F.max_pooling_2d``)."""
from kusari.functions.pooling._pool_nodes import MaxPoolingND


class MaxPooling2D(MaxPoolingND):
    """Two-dimensional max pooling node (see :func:`max_pooling_2d`)."""

    def __init__(self, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
        super().__init__(2, ksize, stride, pad, cover_all, return_indices)


def max_pooling_2d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """Spatial max pooling.

    ``y[n, c, i, j]`` is the maximum of ``x[n, c]`` over the window starting at
    ``(i * sy - ph, j * sx - pw)`` of size ``ksize`` (padding never wins).

    Args:
        x (Variable or array): input of shape ``(n, c, h, w)``.
        ksize (int or pair of ints): window size; an int means a square window.
        stride (int, pair of ints or None): stride; None means ``ksize``.
        pad (int or pair of ints): padding on each side (never selected).
        cover_all (bool): if True (default), add output positions so that every
            input pixel is in some window.
        return_indices (bool): also return the argmax of each window as an int32
            array of the output's shape holding flat kernel offsets
            ``ky * kw + kx`` (what :func:`upsampling_2d` takes).

    Returns:
        Variable, or ``(Variable, ndarray)`` with ``return_indices``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> y, idx = F.max_pooling_2d(x, 2, return_indices=True)
    >>> y.array
    array([[[[ 5.,  7.],
             [13., 15.]]]], dtype=float32)
    >>> idx
    array([[[[3, 3],
             [3, 3]]]], dtype=int32)
    """
    f = MaxPoolingND(2, ksize, stride, pad, cover_all, return_indices)
    y = f.apply((x,))[0]
    if return_indices:
        return y, f.indexes
    return y
