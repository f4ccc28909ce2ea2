"""Batch renormalization (``F.batch_renormalization``, ``F.fixed_batch_renormalization``)."""
import warnings

from kusari import _core
from kusari import backend
from kusari.functions.normalization.batch_normalization import _check as _bn_check
from kusari.functions.normalization.batch_normalization import _expand as _bn_expand
from kusari.functions.normalization.batch_normalization import \
    fixed_batch_normalization as _fixed_bn
from kusari.functions.util import _ops

_NAME = 'batch_renormalization'


def batch_renormalization(x, gamma, beta, rmax, dmax, eps=2e-5, running_mean=None,
                          running_var=None, decay=0.9, update_statistics=False):
    """Batch renormalization (Ioffe, 2017): batch normalization corrected towards the
    running statistics.

    With the batch ``mean`` and ``std = sqrt(var + eps)`` over axes ``(0, 2, ...)``
    and ``running_std = sqrt(running_var + eps)``::

        r = clip(std / running_std, 1 / rmax, rmax)
        d = clip((mean - running_mean) / running_std, -dmax, dmax)
        y = gamma * ((x - mean) / std * r + d) + beta

    ``r`` and ``d`` are treated as constants in backward.  With
    ``update_statistics`` the running statistics are updated in place as in
    :func:`batch_normalization` (unbiased variance).

    Args:
        x (Variable or array): float input ``(N, C, ...)``.
        gamma, beta (Variable or array): ``(C, ...)`` (``x.shape[1:1 + gamma.ndim]``).
        rmax (float): bound of ``r`` (>= 1).
        dmax (float): bound of ``d`` (>= 0).
        eps (float): added to the variances.
        running_mean, running_var (array or None): the running statistics (zeros and
            ones when None).
        decay (float): decay rate of the running statistics.
        update_statistics (bool): update the running statistics in place.

    Returns:
        Variable: the normalized ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1.], [3.]], numpy.float32)
    >>> g = numpy.ones(1, numpy.float32); b = numpy.zeros(1, numpy.float32)
    >>> y = F.batch_renormalization(x, g, b, rmax=1.0, dmax=0.0, eps=1e-5,
    ...                             running_mean=numpy.zeros(1, numpy.float32),
    ...                             running_var=numpy.ones(1, numpy.float32))
    >>> numpy.round(y.array, 3)
    array([[-1.],
           [ 1.]], dtype=float32)
    """
    xa, ga, ba = (_ops.array_of(v) for v in (x, gamma, beta))
    axis, key = _bn_check(_NAME, xa, ga, (ba,), None)
    xp = backend.get_array_module(xa)
    if running_mean is None:
        running_mean = xp.zeros(ga.shape, xa.dtype)
    if running_var is None:
        running_var = xp.ones(ga.shape, xa.dtype)
    if running_mean.shape != ga.shape or running_var.shape != ga.shape:
        raise _ops.invalid(_NAME, 'running_mean.shape == running_var.shape == gamma.shape',
                           '%s, %s, %s' % (running_mean.shape, running_var.shape, ga.shape))
    m = xa.size // max(ga.size, 1)
    if m == 0:
        raise _ops.invalid(_NAME, 'x.size > 0', 'x.size == 0')
    es = _bn_expand(ga, xa.ndim, key)
    mean_a = xa.mean(axis=axis)
    var_a = xa.var(axis=axis)
    std_a = xp.sqrt(var_a + eps)
    running_std = xp.sqrt(running_var + eps)
    r = xp.clip(std_a / running_std, 1.0 / rmax, rmax).astype(xa.dtype)
    d = xp.clip((mean_a - running_mean) / running_std, -dmax, dmax).astype(xa.dtype)
    if update_statistics:
        running_mean *= decay
        running_mean += (1 - decay) * mean_a
        running_var *= decay
        running_var += (1 - decay) * (m / max(m - 1., 1.)) * var_a
    xv = _ops.as_var(x)
    shape = xv.shape

    def b(v):
        return _ops.broadcast_to(_core.reshape(v, es), shape)
    mean = _ops.mean(xv, axis=axis, keepdims=True)
    xc = xv - _ops.broadcast_to(mean, shape)
    var = _ops.mean(xc * xc, axis=axis, keepdims=True)
    inv_std = _ops.broadcast_to((var + eps) ** -0.5, shape)
    xhat = xc * inv_std * xp.broadcast_to(r.reshape(es), shape) + \
        xp.broadcast_to(d.reshape(es), shape)
    return xhat * b(gamma) + b(beta)


def fixed_batch_renormalization(x, gamma, beta, mean, var, eps=2e-5):
    """Batch renormalization at inference: identical to
    :func:`fixed_batch_normalization` (``gamma * (x - mean) / sqrt(var + eps) + beta``).

    Deprecated, as in Chainer (a :class:`DeprecationWarning`): use
    :func:`fixed_batch_normalization`.

    Args:
        x (Variable or array): float input ``(N, C, ...)``.
        gamma, beta, mean, var (Variable or array): ``(C, ...)``, same dtype.
        eps (float): added to the variance.

    Returns:
        Variable: the normalized ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[2.]], numpy.float32)
    >>> o = numpy.ones(1, numpy.float32); z = numpy.zeros(1, numpy.float32)
    >>> numpy.round(F.fixed_batch_renormalization(x, o, z, o, o, eps=0.0).array, 4)
    array([[1.]], dtype=float32)
    """
    warnings.warn('fixed_batch_renormalization is deprecated. '
                  'Use fixed_batch_normalization instead.', DeprecationWarning,
                  stacklevel=2)
    return _fixed_bn(x, gamma, beta, mean, var, eps=eps)
