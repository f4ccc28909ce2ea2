"""The beta distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Beta(distribution.Distribution):
    """Beta distribution on [0, 1].

    .. math::
        f(x; a, b) = \\frac{x^{a-1}(1-x)^{b-1}}{B(a, b)}

    Args:
        a (~kusari.Variable or ndarray): the shape parameter :math:`a > 0`.
        b (~kusari.Variable or ndarray): the shape parameter :math:`b > 0`.

    Samples are not differentiable.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Beta(numpy.float64(2), numpy.float64(2))
    >>> float(d.mean.array), float(d.prob(numpy.float64(0.5)).array)
    (0.5, 1.5)
    """

    def __init__(self, a, b):
        super().__init__()
        a = _util.check_param('Beta', 'a', a)
        b = _util.check_param('Beta', 'b', b)
        self.__a = a
        self.__b = b

    @_util.cached_property
    def a(self):
        return kusari.as_variable(self.__a)

    @_util.cached_property
    def b(self):
        return kusari.as_variable(self.__b)

    @_util.cached_property
    def _a_plus_b(self):
        return self.a + self.b

    @property
    def batch_shape(self):
        return self.a.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'a': self.a, 'b': self.b}

    @_util.cached_property
    def entropy(self):
        apb = self._a_plus_b
        return (_util.lbeta(self.a, self.b)
                - (self.a - 1) * F.digamma(self.a)
                - (self.b - 1) * F.digamma(self.b)
                + (apb - 2) * F.digamma(apb))

    def log_prob(self, x):
        x = kusari.as_variable(_util.as_input(x, self.a.dtype))
        inside = (x.array >= 0) & (x.array <= 1)
        xp = self.xp
        # log(0) outside the support would warn and poison gradients: use 1/2 there
        safe = _util.where(inside, x, xp.full(x.shape, 0.5, x.dtype))
        logp = ((self.a - 1) * F.log(safe) + (self.b - 1) * F.log1p(-safe)
                - _util.lbeta(self.a, self.b))
        return _util.where(inside, logp, _util.full_like(logp, -xp.inf))

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return self.a / self._a_plus_b

    @_util.cached_property
    def variance(self):
        apb = self._a_plus_b
        return self.a * self.b / apb ** 2 / (apb + 1)

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.variance)

    @property
    def support(self):
        return '[0, 1]'

    def sample_n(self, n):
        a, b = self.a.array, self.b.array
        shape = (n,) + self.batch_shape
        eps = _util.random_module(a).beta(a, b, size=shape)
        return kusari.Variable(eps.astype(a.dtype))


@distribution.register_kl(Beta, Beta)
def _kl_beta_beta(dist1, dist2):
    apb1 = dist1._a_plus_b
    apb2 = dist2._a_plus_b
    return (-_util.lbeta(dist1.a, dist1.b) + _util.lbeta(dist2.a, dist2.b)
            + (dist1.a - dist2.a) * F.digamma(dist1.a)
            + (dist1.b - dist2.b) * F.digamma(dist1.b)
            + (apb2 - apb1) * F.digamma(apb1))
