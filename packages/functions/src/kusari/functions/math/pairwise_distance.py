"""p-norm distance between pairs of vectors (``F.pairwise_distance``)."""
import math

import numpy

from kusari import _core
from kusari.functions.activation import _common
from kusari.functions.math.basic_elementwise import absolute as _abs
from kusari.functions.math.minmax import max as _max
from kusari.functions.math.sum import sum as _sum

_NAME = 'pairwise_distance'


def _check(x1, x2, p):
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
    if not (p > 0):
        raise ValueError('%s: p must be positive (or inf), got %r' % (_NAME, p))
    return shape


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdims=False):
    """The p-norm distance of ``x1`` and ``x2`` along the last axis.

    .. math:: y = \\lVert x_1 - x_2 + \\epsilon \\rVert_p
        = \\left(\\sum_d |x_{1,d} - x_{2,d} + \\epsilon|^p\\right)^{1/p}

    (``p = inf``: the largest ``|x_1 - x_2 + eps|``).  Not in Chainer v7; the
    arguments and the ``eps`` added to the difference follow PyTorch's
    ``pairwise_distance``.  Written with differentiable functions (differentiable
    twice where the difference is nonzero).

    Args:
        x1 (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): First input ``(..., D)``, float dtype.
        x2 (:class:`~kusari.Variable` or array): Second input, the dtype of ``x1``
            and a shape broadcastable with it.
        p (float): The order of the norm, positive (``float('inf')`` allowed).
        eps (float): Added to the difference, keeps the norm away from 0.
        keepdims (bool): Keep the last axis (with length 1).

    Returns:
        ~kusari.Variable: Distances of the broadcast shape without its last axis
        (or with length 1 there, with ``keepdims``).

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([[0., 0.], [1., 1.]])
    >>> b = numpy.array([[3., 4.], [1., 1.]])
    >>> F.pairwise_distance(a, b, eps=0.).array
    array([5., 0.])
    >>> F.pairwise_distance(a, b, p=1, eps=0., keepdims=True).array
    array([[7.],
           [0.]])
    """
    v1 = _core.as_variable(x1)
    v2 = _core.as_variable(x2)
    p = float(p)
    _check(v1.array, v2.array, p)
    d = v1 - v2
    if eps:
        d = d + eps
    a = _abs(d)
    axis = -1
    if math.isinf(p):
        return _max(a, axis=axis, keepdims=keepdims)
    if p == 1:
        return _sum(a, axis=axis, keepdims=keepdims)
    if p == 2:
        s = _sum(d * d, axis=axis, keepdims=keepdims)
    else:
        s = _sum(a ** p, axis=axis, keepdims=keepdims)
    return s ** (1.0 / p)
