"""The geometric distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Geometric(distribution.Distribution):
    """Geometric distribution: the number of trials up to the first success.

    .. math::
        P(x;p) = (1-p)^{x-1}p, \\quad x = 1, 2, \\dots

    Args:
        p (~kusari.Variable or ndarray): the success probability :math:`p`.

    Samples are in ``p``'s dtype (not differentiable).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Geometric(numpy.float64(0.5))
    >>> float(d.prob(numpy.float64(2)).array)
    0.25
    """

    def __init__(self, p):
        super().__init__()
        p = _util.check_param('Geometric', 'p', p)
        self.__p = p

    @_util.cached_property
    def p(self):
        return kusari.as_variable(self.__p)

    @property
    def batch_shape(self):
        return self.p.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'p': self.p}

    def log_prob(self, x):
        x = _util.as_input(x, self.p.dtype)
        return (x - 1) * F.log1p(-self.p) + F.log(self.p)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return 1 / self.p

    @_util.cached_property
    def variance(self):
        return (1 - self.p) / self.p ** 2

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.variance)

    @property
    def support(self):
        return 'positive integer'

    def sample_n(self, n):
        p = self.p.array
        eps = _util.random_module(p).geometric(p, size=(n,) + p.shape)
        return kusari.Variable(eps.astype(p.dtype))


@distribution.register_kl(Geometric, Geometric)
def _kl_geometric_geometric(dist1, dist2):
    return ((1 / dist1.p - 1) * (F.log1p(-dist1.p) - F.log1p(-dist2.p))
            + F.log(dist1.p) - F.log(dist2.p))
