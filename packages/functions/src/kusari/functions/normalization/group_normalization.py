"""Group normalization (``F.group_normalization``)."""
from kusari import _core
from kusari.functions.util import _ops

_NAME = 'group_normalization'


def group_normalization(x, groups, gamma, beta, eps=1e-5):
    """Group normalization (Wu & He, 2018).

    The channels of each sample are split into ``groups`` groups; each group is
    normalized over its channels and spatial positions (biased variance), then
    ``y = gamma[c] * x_hat + beta[c]``.

    Args:
        x (Variable or array): ``(N, C, ...)`` float input, ``x.ndim >= 2``.
        groups (int): the number of groups; must divide ``C``.
        gamma (Variable or array): ``(C,)`` scale, same dtype.
        beta (Variable or array): ``(C,)`` shift.
        eps (float): added to the variance.

    Returns:
        Variable: of ``x``'s shape.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 3., 10., 20.]], numpy.float32)
    >>> g = numpy.ones(4, numpy.float32); b = numpy.zeros(4, numpy.float32)
    >>> numpy.round(F.group_normalization(x, 2, g, b, eps=0.0).array, 4)
    array([[-1.,  1., -1.,  1.]], dtype=float32)
    """
    xa, ga, ba = (_ops.array_of(v) for v in (x, gamma, beta))
    _ops.check_float(_NAME, 'x', xa)
    _ops.check_same_dtype(_NAME, ('x', 'gamma', 'beta'), (xa, ga, ba))
    if xa.ndim < 2:
        raise _ops.invalid(_NAME, 'x.ndim >= 2', '%d < 2' % xa.ndim)
    if not isinstance(groups, int) or groups <= 0:
        raise ValueError('%s: groups must be a positive integer, got %r' % (_NAME, groups))
    C = xa.shape[1]
    if C % groups != 0:
        raise ValueError('%s: the number of channels (%d) must be a multiple of groups '
                         '(%d)' % (_NAME, C, groups))
    if ga.shape != (C,) or ba.shape != (C,):
        raise _ops.invalid(_NAME, 'gamma.shape == beta.shape == (x.shape[1],)',
                           '%s, %s, %d' % (ga.shape, ba.shape, C))
    N = xa.shape[0]
    shape = xa.shape
    xv = _ops.as_var(x)
    xg = _core.reshape(xv, (N, groups, -1))
    mean = _ops.broadcast_to(_ops.mean(xg, axis=2, keepdims=True), xg.shape)
    xc = xg - mean
    var = _ops.mean(xc * xc, axis=2, keepdims=True)
    xhat = xc * _ops.broadcast_to((var + eps) ** -0.5, xg.shape)
    xhat = _core.reshape(xhat, shape)
    es = (1, C) + (1,) * (xa.ndim - 2)
    g = _ops.broadcast_to(_core.reshape(gamma, es), shape)
    b = _ops.broadcast_to(_core.reshape(beta, es), shape)
    return xhat * g + b
