"""Reparameterized Gaussian sampling (``F.gaussian``)."""
from kusari import backend
from kusari.functions.util import _ops

_NAME = 'gaussian'


def gaussian(mean, ln_var, *, eps=None, return_eps=False):
    """Sample from N(mean, exp(ln_var)) by ``mean + exp(ln_var / 2) * eps``.

    ``eps`` is drawn from the standard normal distribution unless given, so the
    sample is differentiable by ``mean`` and ``ln_var`` (reparameterization trick).

    Args:
        mean (Variable or array): float means of any shape.
        ln_var (Variable or array): log variances, same shape and dtype.
        eps (array or None): the standard normal noise to use.
        return_eps (bool): also return ``eps``.

    Returns:
        Variable, or ``(Variable, eps)`` with ``return_eps``.

    >>> import numpy, kusari.functions as F
    >>> m = numpy.zeros(2, numpy.float32)
    >>> F.gaussian(m, m, eps=numpy.array([1., -2.], numpy.float32)).array
    array([ 1., -2.], dtype=float32)
    """
    ma, la = _ops.array_of(mean), _ops.array_of(ln_var)
    _ops.check_float(_NAME, 'mean', ma)
    _ops.check_same_dtype(_NAME, ('mean', 'ln_var'), (ma, la))
    _ops.check_same_shape(_NAME, ('mean', 'ln_var'), (ma, la))
    xp = backend.get_array_module(ma)
    if eps is None:
        eps = xp.random.standard_normal(la.shape).astype(ma.dtype)
    else:
        eps = _ops.array_of(eps)
        if eps.shape != la.shape:
            raise _ops.invalid(_NAME, 'eps.shape == ln_var.shape',
                               '%s != %s' % (eps.shape, la.shape))
        eps = eps.astype(ma.dtype, copy=False)
    y = _ops.as_var(mean) + _ops.exp(_ops.as_var(ln_var) * 0.5) * eps
    if return_eps:
        return y, eps
    return y
