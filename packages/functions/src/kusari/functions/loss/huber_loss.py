"""Huber loss (``F.huber_loss``)."""
from kusari import backend
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'huber_loss'


def huber_loss(x, t, delta, reduce='sum_along_second_axis'):
    """Huber loss: squared for small errors, linear for large ones.

    With ``d = x - t``: ``0.5 d^2`` where ``|d| <= delta``, else
    ``delta (|d| - delta / 2)``.  ``reduce='sum_along_second_axis'`` sums over
    axis 1; ``'no'`` keeps the elementwise loss.

    Args:
        x (Variable or array): float array of shape ``(N, K, ...)``.
        t (Variable or array): target of the same shape and dtype.
        delta (float): the threshold (> 0).
        reduce (str): ``'sum_along_second_axis'`` or ``'no'``.

    Returns:
        Variable: ``(N, ...)`` or the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[0.5, 3.]])
    >>> F.huber_loss(x, numpy.zeros((1, 2)), 1.0, reduce='no').array
    array([[0.125, 2.5  ]])
    """
    _common.check_reduce(_NAME, reduce, ('sum_along_second_axis', 'no'))
    xa, ta = _common.arrays(x, t)
    _common.check_float_same(_NAME, ('x', 't'), (xa, ta))
    if reduce == 'sum_along_second_axis' and xa.ndim < 2:
        raise _ops.invalid(_NAME, 'x.ndim >= 2', '%d < 2' % xa.ndim)
    xp = backend.get_array_module(xa)
    diff = _ops.as_var(x) - t
    small = (xp.abs(xa - ta) <= delta).astype(xa.dtype)
    loss = diff * diff * (small * xa.dtype.type(0.5)) + \
        (abs(diff) - 0.5 * delta) * (delta * (1 - small))
    if reduce == 'sum_along_second_axis':
        return _ops.sum(loss, axis=1)
    return loss
