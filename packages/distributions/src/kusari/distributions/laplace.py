"""The Laplace distribution."""
import math

import kusari
import kusari.functions as F
from kusari import backend
from kusari import function_node
from kusari.distributions import _util
from kusari.distributions import distribution


class LaplaceCDF(function_node.FunctionNode):
    """The standard Laplace CDF, ``1/2 - sign(x) expm1(-|x|) / 2`` (accurate in both tails)."""

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        y = 0.5 - 0.5 * xp.sign(x) * xp.expm1(-abs(x))
        self.retain_outputs((0,))
        return xp.asarray(y, dtype=x.dtype),

    def backward(self, indexes, grad_outputs):
        # the density: exp(-|x|) / 2 = 1/2 - |cdf - 1/2|
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        return (0.5 - abs(y - 0.5)) * gy,


class LaplaceICDF(function_node.FunctionNode):
    """The standard Laplace quantile function, ``-sign(h) log1p(-|h|)``, ``h = 2x - 1``."""

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        xp = backend.get_array_module(x)
        h = 1 - 2 * x
        return xp.asarray(xp.sign(h) * xp.log1p(-abs(h)), dtype=x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        return gy / (0.5 - abs(x - 0.5)),


def _laplace_cdf(x):
    return LaplaceCDF().apply((x,))[0]


def _laplace_icdf(x):
    return LaplaceICDF().apply((x,))[0]


class Laplace(distribution.Distribution):
    """Laplace (double exponential) distribution.

    .. math::
        p(x;\\mu,b) = \\frac{1}{2b}\\exp\\left(-\\frac{|x-\\mu|}{b}\\right)

    Args:
        loc (~kusari.Variable or ndarray): the location :math:`\\mu`.
        scale (~kusari.Variable or ndarray): the scale :math:`b > 0`.

    Sampling is reparameterized.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Laplace(numpy.float64(0), numpy.float64(1))
    >>> float(d.cdf(numpy.float64(0)).array), float(d.variance.array)
    (0.5, 2.0)
    """

    def __init__(self, loc, scale):
        super().__init__()
        loc = _util.check_param('Laplace', 'loc', loc)
        scale = _util.check_param('Laplace', 'scale', scale)
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

    def _z(self, x):
        return (_util.as_input(x, self.loc.dtype) - self.loc) / self.scale

    def cdf(self, x):
        return _laplace_cdf(self._z(x))

    def survival_function(self, x):
        # by symmetry, P(X > x) = cdf(-z)
        return _laplace_cdf(-self._z(x))

    def icdf(self, x):
        return self.loc + self.scale * _laplace_icdf(_util.as_input(x, self.loc.dtype))

    def log_prob(self, x):
        x = _util.as_input(x, self.loc.dtype)
        return -F.log(2 * self.scale) - abs(x - self.loc) / self.scale

    def prob(self, x):
        x = _util.as_input(x, self.loc.dtype)
        return 0.5 / self.scale * F.exp(-abs(x - self.loc) / self.scale)

    @_util.cached_property
    def entropy(self):
        return 1. + F.log(2 * self.scale)

    @_util.cached_property
    def mean(self):
        return self.loc

    @_util.cached_property
    def mode(self):
        return self.loc

    @_util.cached_property
    def variance(self):
        return 2 * self.scale ** 2

    @_util.cached_property
    def stddev(self):
        return math.sqrt(2) * self.scale

    @property
    def support(self):
        return 'real'

    def sample_n(self, n):
        loc = self.loc.array
        eps = _util.random_module(loc).laplace(size=(n,) + loc.shape)
        return self.scale * eps.astype(loc.dtype) + self.loc


@distribution.register_kl(Laplace, Laplace)
def _kl_laplace_laplace(dist1, dist2):
    diff = abs(dist1.loc - dist2.loc)
    return (F.log(dist2.scale) - F.log(dist1.scale) + diff / dist2.scale
            + dist1.scale / dist2.scale * F.exp(-diff / dist1.scale) - 1)
