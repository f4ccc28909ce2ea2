"""N-dimensional unpooling (``F.unpooling_nd``, ``unpooling_1d``, ``unpooling_3d``)."""
from kusari.functions.connection._util import invalid
from kusari.functions.pooling._pool_nodes import UnpoolingND


def _apply(x, ksize, stride, pad, outsize, cover_all, ndim, who):
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
    return UnpoolingND(nd, ksize, stride, pad, outsize, cover_all).apply((x,))[0]


def unpooling_nd(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Inverse operation of N-dimensional spatial pooling.

    The generalization of :func:`unpooling_2d` to ``N`` spatial axes.

    Args:
        x (Variable or array): input of shape ``(n, c, d_1, ..., d_N)``.
        ksize (int or tuple of ints): window size.
        stride (int, tuple of ints or None): stride; None means ``ksize``.
        pad (int or tuple of ints): padding removed from the output.
        outsize (None or tuple of ints): output spatial shape (must pool back to
            the input's); by default the inverse of the pooling's output size.
        cover_all (bool): the ``cover_all`` of the pooling this inverts.

    Returns:
        Variable: output of shape ``(n, c, l_1, ..., l_N)``.

    >>> import numpy, kusari.functions as F
    >>> F.unpooling_nd(numpy.array([[[1., 2.]]], numpy.float32), 2, cover_all=False).array
    array([[[1., 1., 2., 2.]]], dtype=float32)
    """
    return _apply(x, ksize, stride, pad, outsize, cover_all, None, 'unpooling_nd')


def unpooling_1d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """One-dimensional unpooling: :func:`unpooling_nd` on ``(n, c, l)``.

    Args:
        x (Variable or array): ``(n, c, l)``.  ksize, stride, pad, outsize,
            cover_all: as in :func:`unpooling_nd`.

    Returns:
        Variable of shape ``(n, c, l_O)``.

    >>> import numpy, kusari.functions as F
    >>> F.unpooling_1d(numpy.array([[[1., 2.]]], numpy.float32), 3, cover_all=False).shape
    (1, 1, 6)
    """
    return _apply(x, ksize, stride, pad, outsize, cover_all, 1, 'unpooling_1d')


def unpooling_3d(x, ksize, stride=None, pad=0, outsize=None, cover_all=True):
    """Three-dimensional unpooling: :func:`unpooling_nd` on ``(n, c, d, h, w)``.

    Args:
        x (Variable or array): ``(n, c, d, h, w)``.  ksize, stride, pad, outsize,
            cover_all: as in :func:`unpooling_nd`.

    Returns:
        Variable of shape ``(n, c, d_O, h_O, w_O)``.

    >>> import numpy, kusari.functions as F
    >>> F.unpooling_3d(numpy.ones((1, 1, 1, 1, 1), numpy.float32), 2,
    ...                cover_all=False).shape
    (1, 1, 2, 2, 2)
    """
    return _apply(x, ksize, stride, pad, outsize, cover_all, 3, 'unpooling_3d')
