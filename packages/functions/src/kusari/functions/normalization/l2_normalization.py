"""L2 normalization (``F.normalize``)."""
from kusari.functions.util import _ops

_NAME = 'normalize'


def normalize(x, eps=1e-5, axis=1):
    """L2-normalize ``x`` along ``axis``: ``y = x / (sqrt(sum(x ** 2, axis)) + eps)``.

    Args:
        x (Variable or array): float input (``x.ndim >= 1``).
        eps (float): added to the norm to avoid division by zero.
        axis (int or tuple of int): the axes of the norm.

    Returns:
        Variable: of ``x``'s shape.

    >>> import numpy, kusari.functions as F
    >>> F.normalize(numpy.array([[3., 4.]]), eps=0.0).array
    array([[0.6, 0.8]])
    """
    xa = _ops.array_of(x)
    _ops.check_float(_NAME, 'x', xa)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -xa.ndim <= a < xa.ndim:
            raise _ops.invalid(_NAME, '-x.ndim <= axis < x.ndim',
                               'axis = %s, x.ndim = %d' % (axis, xa.ndim))
    xv = _ops.as_var(x)
    norm = _ops.sqrt(_ops.sum(xv * xv, axis=axes, keepdims=True)) + eps
    return xv / _ops.broadcast_to(norm, xa.shape)
