"""Cross-covariance loss (``F.cross_covariance``)."""
from kusari import _core
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'cross_covariance'


def _centered(v):
    v = _ops.as_var(v)
    return v - _ops.broadcast_to(_ops.mean(v, axis=0, keepdims=True), v.shape)


def cross_covariance(y, z, reduce='half_squared_sum'):
    """Cross-covariance loss: penalizes correlation between two sets of features.

    ``C = (y - mean(y))^T (z - mean(z)) / N`` (an ``(M, K)`` matrix); the loss is
    ``0.5 * sum(C ** 2)`` (``reduce='half_squared_sum'``) or ``C`` (``'no'``).

    Args:
        y (Variable or array): ``(N, M)`` float.
        z (Variable or array): ``(N, K)`` of the same dtype.
        reduce (str): ``'half_squared_sum'`` or ``'no'``.

    Returns:
        Variable: a scalar or the ``(M, K)`` matrix.

    >>> import numpy, kusari.functions as F
    >>> y = numpy.array([[1.], [-1.]])
    >>> z = numpy.array([[2.], [-2.]])
    >>> F.cross_covariance(y, z, reduce='no').array
    array([[2.]])
    """
    _common.check_reduce(_NAME, reduce, ('half_squared_sum', 'no'))
    ya, za = _common.arrays(y, z)
    _common.check_float_same(_NAME, ('y', 'z'), (ya, za), same_shape=False)
    if ya.ndim != 2 or za.ndim != 2:
        raise _ops.invalid(_NAME, 'y.ndim == 2 and z.ndim == 2',
                           '%d, %d' % (ya.ndim, za.ndim))
    if ya.shape[0] != za.shape[0]:
        raise _ops.invalid(_NAME, 'y.shape[0] == z.shape[0]',
                           '%d != %d' % (ya.shape[0], za.shape[0]))
    yc = _centered(y)
    zc = _centered(z)
    cov = _core.MatMul().apply((_core.transpose(yc), zc))[0] * (1.0 / max(ya.shape[0], 1))
    if reduce == 'half_squared_sum':
        return _ops.sum(cov * cov) * 0.5
    return cov
