"""The Cauchy distribution."""
import math
import warnings

import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Cauchy(distribution.Distribution):
    """Cauchy distribution.

    .. math::
        p(x;x_0,\\gamma) = \\frac{1}{\\pi\\gamma\\left[1+\\left(
            \\frac{x-x_0}{\\gamma}\\right)^2\\right]}

    Args:
        loc (~kusari.Variable or ndarray): the location :math:`x_0`.
        scale (~kusari.Variable or ndarray): the scale :math:`\\gamma > 0`.

    Its mean and variance are undefined (NaN, with a ``RuntimeWarning``).  Sampling
    is reparameterized.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Cauchy(numpy.float64(0), numpy.float64(1))
    >>> float(d.cdf(numpy.float64(1)).array)
    0.75
    """

    def __init__(self, loc, scale):
        super().__init__()
        loc = _util.check_param('Cauchy', 'loc', loc)
        scale = _util.check_param('Cauchy', 'scale', scale)
        self.__loc = loc
        self.__scale = scale

    @_util.cached_property
    def loc(self):
        return kusari.as_variable(self.__loc)

    @_util.cached_property
    def scale(self):
        return kusari.as_variable(self.__scale)

    @property
    def batch_shape(self):
        return self.loc.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'loc': self.loc, 'scale': self.scale}

    def cdf(self, x):
        z = (_util.as_input(x, self.loc.dtype) - self.loc) / self.scale
        return F.arctan(z) / math.pi + 0.5

    def icdf(self, x):
        x = kusari.as_variable(_util.as_input(x, self.loc.dtype))
        return self.loc + self.scale * F.tan((x - 0.5) * math.pi)

    def survival_function(self, x):
        z = (_util.as_input(x, self.loc.dtype) - self.loc) / self.scale
        return 0.5 - F.arctan(z) / math.pi

    def log_prob(self, x):
        x = _util.as_input(x, self.loc.dtype)
        return (-math.log(math.pi) + F.log(self.scale)
                - F.log((x - self.loc) ** 2 + self.scale ** 2))

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def entropy(self):
        return F.log(4 * math.pi * self.scale)

    @_util.cached_property
    def mean(self):
        warnings.warn('Cauchy: the mean of the Cauchy distribution is undefined.',
                      RuntimeWarning)
        return kusari.as_variable(_util.full_like(self.loc, float('nan')))

    @property
    def mode(self):
        return self.loc

    @_util.cached_property
    def variance(self):
        warnings.warn('Cauchy: the variance of the Cauchy distribution is '
                      'undefined.', RuntimeWarning)
        return kusari.as_variable(_util.full_like(self.loc, float('nan')))

    @property
    def support(self):
        return 'real'

    def sample_n(self, n):
        loc = self.loc.array
        eps = _util.random_module(loc).standard_cauchy((n,) + loc.shape)
        return self.scale * eps.astype(loc.dtype) + self.loc
