"""The gamma distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Gamma(distribution.Distribution):
    """Gamma distribution with shape ``k`` and scale ``theta``.

    .. math::
        p(x;k,\\theta) = \\frac{1}{\\Gamma(k)\\theta^k}x^{k-1}e^{-x/\\theta}

    Args:
        k (~kusari.Variable or ndarray): the shape :math:`k > 0`.
        theta (~kusari.Variable or ndarray): the scale :math:`\\theta > 0`.

    Samples (``theta`` times a standard gamma draw) are differentiable with respect
    to ``theta`` only, as in Chainer.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Gamma(numpy.float64(2), numpy.float64(3))
    >>> float(d.mean.array), float(d.variance.array)
    (6.0, 18.0)
    """

    def __init__(self, k, theta):
        super().__init__()
        k = _util.check_param('Gamma', 'k', k)
        theta = _util.check_param('Gamma', 'theta', theta)
        self.__k = k
        self.__theta = theta

    @_util.cached_property
    def k(self):
        return kusari.as_variable(self.__k)

    @_util.cached_property
    def theta(self):
        return kusari.as_variable(self.__theta)

    @property
    def batch_shape(self):
        return self.k.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'k': self.k, 'theta': self.theta}

    @_util.cached_property
    def entropy(self):
        return (self.k + F.log(self.theta) + F.lgamma(self.k)
                + (1 - self.k) * F.digamma(self.k))

    def log_prob(self, x):
        x = kusari.as_variable(_util.as_input(x, self.k.dtype))
        inside = x.array >= 0
        # log of a negative x is NaN: evaluate at 1 there, then mask with -inf
        safe = _util.where(inside, x, _util.full_like(x, 1))
        logp = (-F.lgamma(self.k) - self.k * F.log(self.theta)
                + (self.k - 1) * F.log(safe) - safe / self.theta)
        return _util.where(inside, logp, _util.full_like(logp, -float('inf')))

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return self.k * self.theta

    @_util.cached_property
    def variance(self):
        return self.mean * self.theta

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.variance)

    @property
    def support(self):
        return 'positive'

    def sample_n(self, n):
        k = self.k.array
        shape = (n,) + self.batch_shape
        eps = _util.random_module(k).gamma(k, size=shape).astype(k.dtype)
        return F.broadcast_to(self.theta, shape) * eps


@distribution.register_kl(Gamma, Gamma)
def _kl_gamma_gamma(dist1, dist2):
    return ((dist1.k - dist2.k) * F.digamma(dist1.k)
            - (F.lgamma(dist1.k) - F.lgamma(dist2.k))
            + dist2.k * (F.log(dist2.theta) - F.log(dist1.theta))
            + dist1.k * (dist1.theta / dist2.theta - 1))
