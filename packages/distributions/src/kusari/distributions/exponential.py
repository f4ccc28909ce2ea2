"""The exponential distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Exponential(distribution.Distribution):
    """Exponential distribution with rate :math:`\\lambda`.

    .. math::
        p(x;\\lambda) = \\lambda e^{-\\lambda x}, \\quad x \\ge 0

    Args:
        lam (~kusari.Variable or ndarray): the rate :math:`\\lambda > 0`.

    Sampling is reparameterized (``eps / lam``).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Exponential(numpy.float64(2))
    >>> float(d.mean.array), float(d.icdf(numpy.float64(0.5)).array)
    (0.5, 0.34657359027997264)
    """

    def __init__(self, lam):
        super().__init__()
        lam = _util.check_param('Exponential', 'lam', lam)
        self.__lam = lam

    @_util.cached_property
    def lam(self):
        return kusari.as_variable(self.__lam)

    @_util.cached_property
    def _log_lam(self):
        return F.log(self.lam)

    @property
    def batch_shape(self):
        return self.lam.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'lam': self.lam}

    def cdf(self, x):
        x = _util.as_input(x, self.lam.dtype)
        return -F.expm1(-self.lam * x)

    def icdf(self, x):
        x = kusari.as_variable(_util.as_input(x, self.lam.dtype))
        return -1 / self.lam * F.log1p(-x)

    def log_prob(self, x):
        x = _util.as_input(x, self.lam.dtype)
        logp = self._log_lam - self.lam * x
        inside = _util.array_of(x) >= 0
        return _util.where(inside, logp, _util.full_like(logp, -float('inf')))

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def entropy(self):
        return 1 - self._log_lam

    @_util.cached_property
    def mean(self):
        return 1 / self.lam

    @_util.cached_property
    def variance(self):
        return self.mean ** 2

    @_util.cached_property
    def stddev(self):
        return self.mean

    @property
    def support(self):
        return 'positive'

    def sample_n(self, n):
        lam = self.lam.array
        eps = _util.random_module(lam).standard_exponential((n,) + lam.shape)
        return eps.astype(lam.dtype) / self.lam


@distribution.register_kl(Exponential, Exponential)
def _kl_exponential_exponential(dist1, dist2):
    return dist1._log_lam - dist2._log_lam + dist2.lam / dist1.lam - 1.
