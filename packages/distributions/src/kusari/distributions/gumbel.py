"""The Gumbel distribution."""
import math

import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution

EULER = 0.57721566490153286060651209008240243104215933593992


class Gumbel(distribution.Distribution):
    """Gumbel (type-I extreme value) distribution.

    .. math::
        p(x;\\mu,\\beta) = \\frac{1}{\\beta}\\exp\\left(-\\frac{x-\\mu}{\\beta}
            - e^{-(x-\\mu)/\\beta}\\right)

    Args:
        loc (~kusari.Variable or ndarray): the location :math:`\\mu`.
        scale (~kusari.Variable or ndarray): the scale :math:`\\beta > 0`.

    Sampling is reparameterized.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Gumbel(numpy.float64(0), numpy.float64(1))
    >>> round(float(d.mean.array), 6)
    0.577216
    """

    def __init__(self, loc, scale):
        super().__init__()
        loc = _util.check_param('Gumbel', 'loc', loc)
        scale = _util.check_param('Gumbel', 'scale', scale)
        self.__loc = loc
        self.__scale = scale

    @_util.cached_property
    def loc(self):
        return kusari.as_variable(self.__loc)

    @_util.cached_property
    def scale(self):
        return kusari.as_variable(self.__scale)

    @_util.cached_property
    def _log_scale(self):
        return F.log(self.scale)

    @property
    def batch_shape(self):
        return self.loc.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'loc': self.loc, 'scale': self.scale}

    def log_prob(self, x):
        y = (_util.as_input(x, self.loc.dtype) - self.loc) / self.scale
        return -self._log_scale - y - F.exp(-y)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    def cdf(self, x):
        y = (_util.as_input(x, self.loc.dtype) - self.loc) / self.scale
        return F.exp(-F.exp(-y))

    def log_cdf(self, x):
        y = (_util.as_input(x, self.loc.dtype) - self.loc) / self.scale
        return -F.exp(-y)

    def icdf(self, x):
        x = _util.as_input(x, self.loc.dtype)
        return self.loc - self.scale * F.log(-F.log(x))

    @_util.cached_property
    def entropy(self):
        return self._log_scale + (EULER + 1)

    @_util.cached_property
    def mean(self):
        return self.loc + EULER * self.scale

    @property
    def mode(self):
        return self.loc

    @_util.cached_property
    def variance(self):
        return (math.pi ** 2 / 6) * self.scale ** 2

    @_util.cached_property
    def stddev(self):
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def support(self):
        return 'real'

    def sample_n(self, n):
        loc = self.loc.array
        eps = _util.random_module(loc).gumbel(size=(n,) + loc.shape)
        return self.scale * eps.astype(loc.dtype) + self.loc


@distribution.register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(dist1, dist2):
    ratio = dist1.scale / dist2.scale
    return (dist2._log_scale - dist1._log_scale
            + EULER * (ratio - 1.)
            + F.exp((dist2.loc - dist1.loc) / dist2.scale + F.lgamma(ratio + 1.))
            - 1 + (dist1.loc - dist2.loc) / dist2.scale)


