"""The Poisson distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Poisson(distribution.Distribution):
    """Poisson distribution with rate :math:`\\lambda`.

    .. math::
        P(x;\\lambda) = \\frac{\\lambda^x e^{-\\lambda}}{x!}

    Args:
        lam (~kusari.Variable or ndarray): the rate :math:`\\lambda > 0`.

    Samples are counts in ``lam``'s dtype (not differentiable).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Poisson(numpy.float64(2))
    >>> round(float(d.prob(numpy.float64(0)).array), 6)
    0.135335
    """

    def __init__(self, lam):
        super().__init__()
        lam = _util.check_param('Poisson', 'lam', lam)
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

    def log_prob(self, x):
        # x is data, never differentiated (as in Chainer)
        x = _util.as_input(_util.array_of(x), self.lam.dtype)
        xp = self.xp
        # (dtype= : under NumPy 1.x a 0-d float32 x plus 1 is float64)
        return (x * self._log_lam - F.lgamma(xp.asarray(x + 1, dtype=x.dtype)).array
                - self.lam)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return self.lam

    @_util.cached_property
    def variance(self):
        return self.lam

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.lam)

    @property
    def support(self):
        return 'non negative integer'

    def sample_n(self, n):
        lam = self.lam.array
        eps = _util.random_module(lam).poisson(lam, size=(n,) + lam.shape)
        return kusari.Variable(eps.astype(lam.dtype))


@distribution.register_kl(Poisson, Poisson)
def _kl_poisson_poisson(dist1, dist2):
    return dist1.lam * (dist1._log_lam - dist2._log_lam) - dist1.lam + dist2.lam
