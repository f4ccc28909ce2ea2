"""The chi-square distribution."""
import math

import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Chisquare(distribution.Distribution):
    """Chi-square distribution with ``k`` degrees of freedom.

    .. math::
        p(x;k) = \\frac{1}{2^{k/2}\\Gamma(k/2)}x^{k/2-1}e^{-x/2}

    Args:
        k (~kusari.Variable or ndarray): the degrees of freedom.

    Samples are not differentiable.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Chisquare(numpy.float64(2))
    >>> float(d.mean.array), float(d.variance.array)
    (2.0, 4.0)
    """

    def __init__(self, k):
        super().__init__()
        k = _util.check_param('Chisquare', 'k', k)
        self.__k = k

    @_util.cached_property
    def k(self):
        return kusari.as_variable(self.__k)

    @_util.cached_property
    def _half_k(self):
        return 0.5 * self.k

    @property
    def batch_shape(self):
        return self.k.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'k': self.k}

    @_util.cached_property
    def entropy(self):
        hk = self._half_k
        return hk + math.log(2.) + F.lgamma(hk) + (1 - hk) * F.digamma(hk)

    def log_prob(self, x):
        x = _util.as_input(x, self.k.dtype)
        hk = self._half_k
        return (-F.lgamma(hk) - hk * math.log(2.) + (hk - 1) * F.log(x) - 0.5 * x)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return self.k

    @_util.cached_property
    def variance(self):
        return 2 * self.k

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.variance)

    @property
    def support(self):
        return 'positive'

    def sample_n(self, n):
        k = self.k.array
        eps = _util.random_module(k).chisquare(k, (n,) + k.shape)
        return kusari.Variable(eps.astype(k.dtype))
