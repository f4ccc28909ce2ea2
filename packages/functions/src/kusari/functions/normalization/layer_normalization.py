"""Layer normalization (``F.layer_normalization``)."""
from kusari import _core
from kusari.functions.util import _ops

_NAME = 'layer_normalization'


def layer_normalization(x, gamma, beta, eps=1e-5):
    """Layer normalization (Ba et al., 2016): each row is normalized over its features.

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta`` with the mean and biased
    variance of each row of ``x``.

    Args:
        x (Variable or array): ``(N, D)`` float input.
        gamma (Variable or array): ``(D,)`` scale, same dtype.
        beta (Variable or array): ``(D,)`` shift.
        eps (float): added to the variance.

    Returns:
        Variable: ``(N, D)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 3.]], numpy.float32)
    >>> g = numpy.ones(2, numpy.float32); b = numpy.zeros(2, numpy.float32)
    >>> numpy.round(F.layer_normalization(x, g, b, eps=0.0).array, 4)
    array([[-1.,  1.]], dtype=float32)
    """
    xa, ga, ba = (_ops.array_of(v) for v in (x, gamma, beta))
    _ops.check_float(_NAME, 'x', xa)
    _ops.check_same_dtype(_NAME, ('x', 'gamma', 'beta'), (xa, ga, ba))
    if xa.ndim != 2:
        raise _ops.invalid(_NAME, 'x.ndim == 2', '%d != 2' % xa.ndim)
    D = xa.shape[1]
    if ga.shape != (D,) or ba.shape != (D,):
        raise _ops.invalid(_NAME, 'gamma.shape == beta.shape == (x.shape[1],)',
                           '%s, %s, %d' % (ga.shape, ba.shape, D))
    xv = _ops.as_var(x)
    shape = xa.shape
    xc = xv - _ops.broadcast_to(_ops.mean(xv, axis=1, keepdims=True), shape)
    var = _ops.mean(xc * xc, axis=1, keepdims=True)
    xhat = xc * _ops.broadcast_to((var + eps) ** -0.5, shape)
    g = _ops.broadcast_to(_core.reshape(gamma, (1, D)), shape)
    b = _ops.broadcast_to(_core.reshape(beta, (1, D)), shape)
    return xhat * g + b
