"""The normal (Gaussian) distribution."""
import math

import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution

ENTROPYC = 0.5 * math.log(2 * math.pi * math.e)
LOGPROBC = -0.5 * math.log(2 * math.pi)
PROBC = 1. / math.sqrt(2 * math.pi)


class Normal(distribution.Distribution):
    """Normal distribution :math:`\\mathcal{N}(\\mu, \\sigma^2)`.

    .. math::
        p(x;\\mu,\\sigma) = \\frac{1}{\\sqrt{2\\pi\\sigma^2}}
            \\exp\\left(-\\frac{(x-\\mu)^2}{2\\sigma^2}\\right)

    Args:
        loc (~kusari.Variable or ndarray): the mean :math:`\\mu`.
        scale (~kusari.Variable or ndarray): the standard deviation
            :math:`\\sigma`.  Give either ``scale`` or ``log_scale`` (not both).
        log_scale (~kusari.Variable or ndarray): :math:`\\log\\sigma`.

    Sampling is reparameterized (``loc + scale * eps``): gradients flow from the
    samples to ``loc`` and ``scale``.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Normal(numpy.zeros(3, numpy.float32), log_scale=numpy.zeros(3, numpy.float32))
    >>> d.log_prob(numpy.zeros(3, numpy.float32)).array
    array([-0.9189385, -0.9189385, -0.9189385], dtype=float32)
    """

    def __init__(self, loc, scale=None, log_scale=None):
        super().__init__()
        if not (scale is None) ^ (log_scale is None):
            raise ValueError(
                'Normal: either `scale` or `log_scale` (not both) must have a value.')
        loc = _util.check_param('Normal', 'loc', loc)
        if scale is not None:
            scale = _util.check_param('Normal', 'scale', scale)
        else:
            log_scale = _util.check_param('Normal', 'log_scale', log_scale)
        self.__loc = loc
        self.__scale = scale
        self.__log_scale = log_scale

    @_util.cached_property
    def loc(self):
        return kusari.as_variable(self.__loc)

    @_util.cached_property
    def scale(self):
        if self.__scale is not None:
            return kusari.as_variable(self.__scale)
        return F.exp(self.log_scale)

    @_util.cached_property
    def log_scale(self):
        if self.__log_scale is not None:
            return kusari.as_variable(self.__log_scale)
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

    def _z(self, x):
        return (_util.as_input(x, self.loc.dtype) - self.loc) / self.scale

    def cdf(self, x):
        return F.ndtr(self._z(x))

    def icdf(self, x):
        return self.loc + self.scale * F.ndtri(_util.as_input(x, self.loc.dtype))

    def log_cdf(self, x):
        return F.log_ndtr(self._z(x))

    def survival_function(self, x):
        return F.ndtr(-self._z(x))

    def log_survival_function(self, x):
        return F.log_ndtr(-self._z(x))

    def log_prob(self, x):
        x = _util.as_input(x, self.loc.dtype)
        return LOGPROBC - self.log_scale - 0.5 * (x - self.loc) ** 2 / self.variance

    def prob(self, x):
        x = _util.as_input(x, self.loc.dtype)
        return (PROBC / self.scale) * F.exp(-0.5 * (x - self.loc) ** 2 / self.variance)

    @_util.cached_property
    def entropy(self):
        return self.log_scale + ENTROPYC

    @_util.cached_property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @_util.cached_property
    def stddev(self):
        return self.scale

    @_util.cached_property
    def variance(self):
        return self.scale ** 2

    @property
    def support(self):
        return 'real'

    def sample_n(self, n):
        loc = self.loc
        eps = _util.standard_normal(loc.array, (n,) + loc.shape)
        return loc + self.scale * eps


@distribution.register_kl(Normal, Normal)
def _kl_normal_normal(dist1, dist2):
    return (dist2.log_scale - dist1.log_scale
            + 0.5 * (dist1.variance + (dist1.loc - dist2.loc) ** 2) / dist2.variance
            - 0.5)
