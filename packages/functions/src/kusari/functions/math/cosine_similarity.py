"""Cosine similarity along an axis (``F.cosine_similarity``)."""
import numpy

from kusari import _core
from kusari.functions.activation import _common
from kusari.functions.array.where import where as _where
from kusari.functions.math.basic_elementwise import sqrt as _sqrt
from kusari.functions.math.sum import sum as _sum

_NAME = 'cosine_similarity'


def _check(x1, x2, axis):
    for name, a in (('x1', x1), ('x2', x2)):
        if a.dtype.kind != 'f':
            raise _common.invalid(_NAME, '%s.dtype.kind == f' % name,
                                  '%s != f' % a.dtype.kind)
    if x1.dtype != x2.dtype:
        raise _common.invalid(_NAME, 'x1.dtype == x2.dtype',
                              '%s != %s' % (x1.dtype, x2.dtype))
    try:
        shape = numpy.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise _common.invalid(_NAME, 'x1.shape and x2.shape broadcastable',
                              '%s, %s' % (x1.shape, x2.shape)) from None
    if len(shape) == 0:
        raise _common.invalid(_NAME, 'ndim >= 1', 'x1.shape == x2.shape == ()')
    return shape, _common.normalize_axis(_NAME, axis, len(shape))


def _clamped_norm(x, axis, eps):
    """``max(||x||_2, eps)`` along ``axis``, computed as ``sqrt(max(|x|^2, eps^2))``.

    Clamping the squared norm keeps the gradient finite (zero) where ``x`` is 0.
    """
    ss = _sum(x * x, axis=axis)
    e2 = ss.dtype.type(eps) * ss.dtype.type(eps)
    xp = ss.xp
    small = ss.array <= e2
    if bool(small.any()):
        ss = _where(~small, ss, xp.full(ss.shape, e2, ss.dtype))
    return _sqrt(ss)


def cosine_similarity(x1, x2, axis=1, eps=1e-8):
    """Cosine similarity of ``x1`` and ``x2`` along ``axis``.

    .. math:: y = \\frac{\\sum_a x_{1,a} x_{2,a}}
        {\\max(\\lVert x_1 \\rVert_2, \\epsilon) \\max(\\lVert x_2 \\rVert_2,
        \\epsilon)},

    the sum and norms running over ``axis``.  Not in Chainer v7; the arguments follow
    PyTorch's ``cosine_similarity`` (which clamps each norm by ``eps`` the same way).
    Written with differentiable functions, so it is differentiable twice.

    Args:
        x1 (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): First input, float dtype, e.g. ``(N, D)``.
        x2 (:class:`~kusari.Variable` or array): Second input, the dtype of ``x1``
            and a shape broadcastable with it.
        axis (int): The axis of the vectors.
        eps (float): Lower bound of each norm (avoids division by zero).

    Returns:
        ~kusari.Variable: The similarities, of the broadcast shape without ``axis``.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([[1., 0.], [1., 1.], [0., 0.]])
    >>> b = numpy.array([[2., 0.], [-1., -1.], [1., 0.]])
    >>> F.cosine_similarity(a, b).array
    array([ 1., -1.,  0.])
    """
    v1 = _core.as_variable(x1)
    v2 = _core.as_variable(x2)
    shape, axis = _check(v1.array, v2.array, axis)
    if v1.shape != shape:
        v1 = _core.broadcast_to(v1, shape)
    if v2.shape != shape:
        v2 = _core.broadcast_to(v2, shape)
    dot = _sum(v1 * v2, axis=axis)
    return dot / (_clamped_norm(v1, axis, eps) * _clamped_norm(v2, axis, eps))
