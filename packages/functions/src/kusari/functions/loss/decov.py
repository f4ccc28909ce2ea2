"""DeCov loss (``F.decov``)."""
from kusari import _core
from kusari import backend
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'decov'


def decov(h, reduce='half_squared_sum'):
    """DeCov loss: penalizes the off-diagonal covariance of hidden activations.

    ``C = (h - mean(h))^T (h - mean(h)) / N`` with its diagonal set to 0; the loss
    is ``0.5 * sum(C ** 2)`` (``reduce='half_squared_sum'``) or ``C`` (``'no'``).

    Args:
        h (Variable or array): ``(N, M)`` float activations.
        reduce (str): ``'half_squared_sum'`` or ``'no'``.

    Returns:
        Variable: a scalar or the ``(M, M)`` matrix.

    >>> import numpy, kusari.functions as F
    >>> h = numpy.array([[1., 2.], [-1., -2.]])
    >>> F.decov(h, reduce='no').array
    array([[0., 2.],
           [2., 0.]])
    """
    _common.check_reduce(_NAME, reduce, ('half_squared_sum', 'no'))
    ha = _ops.array_of(h)
    _ops.check_float(_NAME, 'h', ha)
    if ha.ndim != 2:
        raise _ops.invalid(_NAME, 'h.ndim == 2', '%d != 2' % ha.ndim)
    xp = backend.get_array_module(ha)
    h = _ops.as_var(h)
    hc = h - _ops.broadcast_to(_ops.mean(h, axis=0, keepdims=True), h.shape)
    cov = _core.MatMul().apply((_core.transpose(hc), hc))[0]
    M = ha.shape[1]
    off = (1 - xp.eye(M, dtype=ha.dtype)) * ha.dtype.type(1.0 / max(ha.shape[0], 1))
    cov = cov * off
    if reduce == 'half_squared_sum':
        return _ops.sum(cov * cov) * 0.5
    return cov
