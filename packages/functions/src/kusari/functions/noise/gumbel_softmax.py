"""Gumbel-softmax sampling (``F.gumbel_softmax``)."""
from kusari import backend
from kusari.functions.util import _ops

_NAME = 'gumbel_softmax'


def gumbel_softmax(log_pi, tau=0.1, axis=1):
    """A relaxed one-hot sample: ``softmax((log_pi + g) / tau, axis)`` with Gumbel noise
    ``g = -log(-log(u))``, ``u ~ U(0, 1)``.

    Args:
        log_pi (Variable or array): float log-probabilities (unnormalized allowed).
        tau (float): the temperature (> 0); small values give nearly one-hot samples.
        axis (int): the axis of the categories.

    Returns:
        Variable: the sample, of ``log_pi``'s shape; rows sum to 1.

    >>> import numpy, kusari.functions as F
    >>> y = F.gumbel_softmax(numpy.zeros((2, 3), numpy.float32), tau=1.0)
    >>> numpy.allclose(y.array.sum(axis=1), 1)
    True
    """
    a = _ops.array_of(log_pi)
    _ops.check_float(_NAME, 'log_pi', a)
    if tau <= 0:
        raise ValueError('%s: tau must be positive, got %r' % (_NAME, tau))
    xp = backend.get_array_module(a)
    if a.ndim < 1:
        return _ops.as_var(xp.ones((), a.dtype))
    if not -a.ndim <= axis < a.ndim:
        raise _ops.invalid(_NAME, '-log_pi.ndim <= axis < log_pi.ndim',
                           'axis = %d, log_pi.ndim = %d' % (axis, a.ndim))
    g = xp.random.gumbel(size=a.shape).astype(a.dtype)
    return _ops.softmax((_ops.as_var(log_pi) + g) * (1.0 / tau), axis=axis)
