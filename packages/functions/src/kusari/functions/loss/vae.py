"""Losses of variational auto-encoders: ``bernoulli_nll``, ``gaussian_kl_divergence``,
``gaussian_nll``."""
import math

from kusari.functions.loss import _common
from kusari.functions.util import _ops


def _reduce(func, loss, reduce):
    if reduce == 'sum':
        return _ops.sum(loss)
    if reduce == 'mean':
        return _ops.mean(loss)
    return loss


def bernoulli_nll(x, y, reduce='sum'):
    """Negative log-likelihood of a Bernoulli distribution with logits ``y``.

    ``loss = softplus(y) - x * y`` elementwise, i.e. ``-log B(x; sigmoid(y))``.

    Args:
        x (Variable or array): the observed data (usually in [0, 1]), float.
        y (Variable or array): the logits (pre-sigmoid), same shape and dtype.
        reduce (str): ``'sum'`` or ``'mean'`` (a scalar) or ``'no'``
            (elementwise).

    Returns:
        Variable: the loss.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([1., 0.])
    >>> y = numpy.array([0., 0.])
    >>> round(float(F.bernoulli_nll(x, y).array), 6)   # 2 log 2
    1.386294
    """
    _common.check_reduce('bernoulli_nll', reduce, ('sum', 'mean', 'no'))
    xa, ya = _common.arrays(x, y)
    _common.check_float_same('bernoulli_nll', ('x', 'y'), (xa, ya))
    y = _ops.as_var(y)
    loss = _ops.softplus(y) - _ops.as_var(x) * y
    return _reduce('bernoulli_nll', loss, reduce)


def gaussian_kl_divergence(mean, ln_var, reduce='sum'):
    """KL divergence of N(mean, exp(ln_var)) from the standard normal distribution.

    ``loss = (mean ** 2 + exp(ln_var) - ln_var - 1) / 2`` elementwise.

    Args:
        mean (Variable or array): means, float.
        ln_var (Variable or array): log variances, same shape and dtype.
        reduce (str): ``'sum'``, ``'mean'`` (scalars) or ``'no'`` (elementwise).

    Returns:
        Variable: the loss.

    >>> import numpy, kusari.functions as F
    >>> float(F.gaussian_kl_divergence(numpy.zeros(3), numpy.zeros(3)).array)
    0.0
    """
    _common.check_reduce('gaussian_kl_divergence', reduce, ('sum', 'mean', 'no'))
    ma, la = _common.arrays(mean, ln_var)
    _common.check_float_same('gaussian_kl_divergence', ('mean', 'ln_var'), (ma, la))
    mean = _ops.as_var(mean)
    ln_var = _ops.as_var(ln_var)
    loss = (mean * mean + _ops.exp(ln_var) - ln_var - 1) * 0.5
    return _reduce('gaussian_kl_divergence', loss, reduce)


def gaussian_nll(x, mean, ln_var, reduce='sum'):
    """Negative log-likelihood of ``x`` under N(mean, exp(ln_var)) (diagonal).

    ``loss = (ln_var + log(2 pi)) / 2 + (x - mean) ** 2 * exp(-ln_var) / 2``
    elementwise.

    Args:
        x (Variable or array): observations, float.
        mean (Variable or array): means, same shape and dtype.
        ln_var (Variable or array): log variances, same shape and dtype.
        reduce (str): ``'sum'``, ``'mean'`` (scalars) or ``'no'`` (elementwise).

    Returns:
        Variable: the loss.

    >>> import numpy, kusari.functions as F
    >>> z = numpy.zeros(2)
    >>> round(float(F.gaussian_nll(z, z, z).array), 6)   # log(2 pi)
    1.837877
    """
    _common.check_reduce('gaussian_nll', reduce, ('sum', 'mean', 'no'))
    arrs = _common.arrays(x, mean, ln_var)
    _common.check_float_same('gaussian_nll', ('x', 'mean', 'ln_var'), arrs)
    x = _ops.as_var(x)
    ln_var = _ops.as_var(ln_var)
    diff = x - mean
    loss = (ln_var + math.log(2 * math.pi)) * 0.5 + diff * diff * _ops.exp(-ln_var) * 0.5
    return _reduce('gaussian_nll', loss, reduce)
