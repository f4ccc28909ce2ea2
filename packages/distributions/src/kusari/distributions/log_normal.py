"""The log-normal distribution."""
import math

import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution

LOGPROBC = -0.5 * math.log(2 * math.pi)


class LogNormal(distribution.Distribution):
    """Log-normal distribution: :math:`\\log x \\sim \\mathcal{N}(\\mu, \\sigma^2)`.

    .. math::
        p(x;\\mu,\\sigma) = \\frac{1}{\\sqrt{2\\pi\\sigma^2}x}
            \\exp\\left(-\\frac{(\\log x-\\mu)^2}{2\\sigma^2}\\right)

    Args:
        mu (~kusari.Variable or ndarray): the mean of :math:`\\log x`.
        sigma (~kusari.Variable or ndarray): the standard deviation of
            :math:`\\log x`.

    Sampling is reparameterized (``exp(mu + sigma * eps)``).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.LogNormal(numpy.float64(0), numpy.float64(1))
    >>> round(float(d.mean.array), 6)
    1.648721
    """

    def __init__(self, mu, sigma):
        super().__init__()
        mu = _util.check_param('LogNormal', 'mu', mu)
        sigma = _util.check_param('LogNormal', 'sigma', sigma)
        self.__mu = mu
        self.__sigma = sigma

    @_util.cached_property
    def mu(self):
        return kusari.as_variable(self.__mu)

    @_util.cached_property
    def sigma(self):
        return kusari.as_variable(self.__sigma)

    @_util.cached_property
    def _log_sigma(self):
        return F.log(self.sigma)

    @property
    def batch_shape(self):
        return self.mu.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'mu': self.mu, 'sigma': self.sigma}

    def log_prob(self, x):
        logx = F.log(_util.as_input(x, self.mu.dtype))
        return (LOGPROBC - self._log_sigma - logx
                - 0.5 * (logx - self.mu) ** 2 / self.sigma ** 2)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    def cdf(self, x):
        logx = F.log(_util.as_input(x, self.mu.dtype))
        return F.ndtr((logx - self.mu) / self.sigma)

    def icdf(self, x):
        return F.exp(self.mu + self.sigma * F.ndtri(_util.as_input(x, self.mu.dtype)))

    @_util.cached_property
    def entropy(self):
        return 0.5 - LOGPROBC + self._log_sigma + self.mu

    @_util.cached_property
    def mean(self):
        return F.exp(self.mu + 0.5 * self.sigma ** 2)

    @_util.cached_property
    def variance(self):
        return F.exp(2 * self.mu + self.sigma ** 2) * F.expm1(self.sigma ** 2)

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.variance)

    @property
    def support(self):
        return 'positive'

    def sample_n(self, n):
        eps = _util.standard_normal(self.mu.array, (n,) + self.mu.shape)
        return F.exp(self.mu + self.sigma * eps)


@distribution.register_kl(LogNormal, LogNormal)
def _kl_log_normal_log_normal(dist1, dist2):
    return (0.5 * ((dist1.mu - dist2.mu) ** 2 + dist1.sigma ** 2) / dist2.sigma ** 2
            - 0.5 + dist2._log_sigma - dist1._log_sigma)
