"""N-dimensional max pooling (``F.max_pooling_nd``, ``max_pooling_1d``, ``_3d``)."""
from kusari.functions.pooling._pool_nodes import MaxPoolingND
from kusari.functions.connection._util import invalid


def _apply(x, ksize, stride, pad, cover_all, return_indices, ndim, who):
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
    f = MaxPoolingND(nd, ksize, stride, pad, cover_all, return_indices)
    y = f.apply((x,))[0]
    if return_indices:
        return y, f.indexes
    return y


def max_pooling_nd(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """N-dimensionally spatial max pooling.

    The generalization of :func:`max_pooling_2d` to ``N`` spatial axes.

    Args:
        x (Variable or array): input of shape ``(n, c, d_1, ..., d_N)``.
        ksize (int or tuple of ints): window size.
        stride (int, tuple of ints or None): stride; None means ``ksize``.
        pad (int or tuple of ints): padding on each side (never selected).
        cover_all (bool): add output positions so that every element is covered.
        return_indices (bool): also return the argmax offsets (flat kernel index,
            row-major over the window) as an int32 array.

    Returns:
        Variable of shape ``(n, c, l_1, ..., l_N)``, or ``(Variable, ndarray)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[[1., 3., 2., 5., 4.]]], numpy.float32)
    >>> F.max_pooling_nd(x, 2).array
    array([[[3., 5., 4.]]], dtype=float32)
    """
    return _apply(x, ksize, stride, pad, cover_all, return_indices, None,
                  'max_pooling_nd')


def max_pooling_1d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """One-dimensional max pooling: :func:`max_pooling_nd` on ``(n, c, l)``.

    Args:
        x (Variable or array): ``(n, c, l)``.  ksize, stride, pad, cover_all,
            return_indices: as in :func:`max_pooling_nd`.

    Returns:
        Variable of shape ``(n, c, l_O)`` (or with the indexes).

    >>> import numpy, kusari.functions as F
    >>> F.max_pooling_1d(numpy.array([[[1., 3., 2., 5.]]], numpy.float32), 2).array
    array([[[3., 5.]]], dtype=float32)
    """
    return _apply(x, ksize, stride, pad, cover_all, return_indices, 1, 'max_pooling_1d')


def max_pooling_3d(x, ksize, stride=None, pad=0, cover_all=True, return_indices=False):
    """Three-dimensional max pooling: :func:`max_pooling_nd` on ``(n, c, d, h, w)``.

    Args:
        x (Variable or array): ``(n, c, d, h, w)``.  ksize, stride, pad, cover_all,
            return_indices: as in :func:`max_pooling_nd`.

    Returns:
        Variable of shape ``(n, c, d_O, h_O, w_O)`` (or with the indexes).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(8, dtype=numpy.float32).reshape(1, 1, 2, 2, 2)
    >>> F.max_pooling_3d(x, 2).array
    array([[[[[7.]]]]], dtype=float32)
    """
    return _apply(x, ksize, stride, pad, cover_all, return_indices, 3, 'max_pooling_3d')
