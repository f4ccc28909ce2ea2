"""N-dimensional average pooling (``F.average_pooling_nd``, ``_1d``, ``_3d``)."""
from kusari.functions.connection._util import invalid
from kusari.functions.pooling._pool_nodes import AveragePoolingND


def _apply(x, ksize, stride, pad, pad_value, ndim, who):
    shape = getattr(x, 'shape', None)
    if shape is None:
        raise TypeError('%s: x must be a Variable or an array, got %s'
                        % (who, type(x).__name__))
    nd = len(shape) - 2 if ndim is None else ndim
    if ndim is not None and len(shape) != ndim + 2:
        # the 1-D/3-D wrappers raise ValueError, as in Chainer
        raise ValueError('%s: the input must have %d dimensions under the channel '
                         'dimension, got x.shape == %s' % (who, ndim, tuple(shape)))
    if nd < 1 or len(shape) != nd + 2:
        invalid(who, 'x.ndim == %s' % ('N + 2 (N >= 1)' if ndim is None else ndim + 2),
                'x.ndim == %d' % len(shape))
    return AveragePoolingND(nd, ksize, stride, pad, pad_value=pad_value).apply((x,))[0]


def average_pooling_nd(x, ksize, stride=None, pad=0, pad_value=0):
    """N-dimensionally spatial average pooling.

    Args:
        x (Variable or array): input of shape ``(n, c, d_1, ..., d_N)``.
        ksize (int or tuple of ints): window size.
        stride (int, tuple of ints or None): stride; None means ``ksize``.
        pad (int or tuple of ints): padding on each side.
        pad_value (0 or None): 0 counts padded positions as zeros (divide by
            ``prod(ksize)``); None ignores them (divide by the number of in-bounds
            elements of each window).

    Returns:
        Variable: output of shape ``(n, c, l_1, ..., l_N)`` (no ``cover_all``).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[[2., 4., 6.]]], numpy.float32)
    >>> F.average_pooling_nd(x, 2, pad=1).array
    array([[[1., 5.]]], dtype=float32)
    >>> F.average_pooling_nd(x, 2, pad=1, pad_value=None).array
    array([[[2., 5.]]], dtype=float32)
    """
    return _apply(x, ksize, stride, pad, pad_value, None, 'average_pooling_nd')


def average_pooling_1d(x, ksize, stride=None, pad=0, pad_value=0):
    """One-dimensional average pooling: :func:`average_pooling_nd` on ``(n, c, l)``.

    Args:
        x (Variable or array): ``(n, c, l)``.  ksize, stride, pad, pad_value: as in
            :func:`average_pooling_nd`.

    Returns:
        Variable of shape ``(n, c, l_O)``.

    >>> import numpy, kusari.functions as F
    >>> F.average_pooling_1d(numpy.array([[[1., 3., 5., 7.]]], numpy.float32), 2).array
    array([[[2., 6.]]], dtype=float32)
    """
    return _apply(x, ksize, stride, pad, pad_value, 1, 'average_pooling_1d')


def average_pooling_3d(x, ksize, stride=None, pad=0, pad_value=0):
    """Three-dimensional average pooling: :func:`average_pooling_nd` on ``(n, c, d, h, w)``.

    Args:
        x (Variable or array): ``(n, c, d, h, w)``.  ksize, stride, pad, pad_value:
            as in :func:`average_pooling_nd`.

    Returns:
        Variable of shape ``(n, c, d_O, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(8, dtype=numpy.float32).reshape(1, 1, 2, 2, 2)
    >>> F.average_pooling_3d(x, 2).array
    array([[[[[3.5]]]]], dtype=float32)
    """
    return _apply(x, ksize, stride, pad, pad_value, 3, 'average_pooling_3d')
