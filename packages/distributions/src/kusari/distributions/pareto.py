"""The Pareto distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Pareto(distribution.Distribution):
    """Pareto distribution on :math:`[x_m, \\infty)`.

    .. math::
        p(x;x_m,\\alpha) = \\frac{\\alpha x_m^{\\alpha}}{x^{\\alpha+1}}

    Args:
        scale (~kusari.Variable or ndarray): the minimum :math:`x_m > 0`.
        alpha (~kusari.Variable or ndarray): the shape :math:`\\alpha > 0`.

    The mean is ``inf`` for ``alpha <= 1`` and the variance for ``alpha <= 2``.
    Samples (``scale`` times a draw) are differentiable with respect to ``scale``.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Pareto(numpy.float64(1), numpy.float64(3))
    >>> float(d.mean.array), float(d.variance.array)
    (1.5, 0.75)
    """

    def __init__(self, scale, alpha):
        super().__init__()
        scale = _util.check_param('Pareto', 'scale', scale)
        alpha = _util.check_param('Pareto', 'alpha', alpha)
        self.__scale = scale
        self.__alpha = alpha

    @_util.cached_property
    def scale(self):
        return kusari.as_variable(self.__scale)

    @_util.cached_property
    def alpha(self):
        return kusari.as_variable(self.__alpha)

    @_util.cached_property
    def _log_scale(self):
        return F.log(self.scale)

    @_util.cached_property
    def _log_alpha(self):
        return F.log(self.alpha)

    @property
    def batch_shape(self):
        return self.scale.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'scale': self.scale, 'alpha': self.alpha}

    @_util.cached_property
    def entropy(self):
        return -self._log_alpha + self._log_scale + 1. / self.alpha + 1.

    def log_prob(self, x):
        x = kusari.as_variable(_util.as_input(x, self.scale.dtype))
        inside = x.array >= self.scale.array
        # below the support log(x) may be NaN: evaluate at scale there, then mask
        safe = _util.where(inside, x, F.broadcast_to(
            self.scale, _util.broadcast_shape(x.shape, self.scale.shape)).array)
        logp = (self._log_alpha + self.alpha * self._log_scale
                - (self.alpha + 1) * F.log(safe))
        return _util.where(inside, logp, _util.full_like(logp, -float('inf')))

    def prob(self, x):
        return F.exp(self.log_prob(x))

    def cdf(self, x):
        x = kusari.as_variable(_util.as_input(x, self.scale.dtype))
        inside = x.array >= self.scale.array
        safe = _util.where(inside, x, F.broadcast_to(
            self.scale, _util.broadcast_shape(x.shape, self.scale.shape)).array)
        c = 1 - (self.scale / safe) ** self.alpha
        return _util.where(inside, c, _util.full_like(c, 0))

    @_util.cached_property
    def mean(self):
        mean = self.alpha * self.scale / (self.alpha - 1)
        return _util.where(self.alpha.array > 1, mean, _util.full_like(mean, float('inf')))

    @_util.cached_property
    def variance(self):
        var = self.scale ** 2 * self.alpha / (self.alpha - 1) ** 2 / (self.alpha - 2)
        return _util.where(self.alpha.array > 2, var, _util.full_like(var, float('inf')))

    @property
    def support(self):
        return '[scale, inf]'

    def sample_n(self, n):
        alpha = self.alpha.array
        shape = (n,) + self.batch_shape
        eps = _util.random_module(alpha).pareto(alpha, shape).astype(alpha.dtype)
        return self.scale * (eps + 1)


@distribution.register_kl(Pareto, Pareto)
def _kl_pareto_pareto(dist1, dist2):
    kl = (dist2.alpha * (dist1._log_scale - dist2._log_scale)
          + dist1._log_alpha - dist2._log_alpha
          + (dist2.alpha - dist1.alpha) / dist1.alpha)
    # q has no mass below its scale: infinite where p's support starts lower
    return _util.where(dist1.scale.array >= dist2.scale.array, kl,
                       _util.full_like(kl, float('inf')))
