"""The Dirichlet distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


def _lbeta(alpha):
    # log of the multivariate beta function over the last axis
    return F.sum(F.lgamma(alpha), axis=-1) - F.lgamma(F.sum(alpha, axis=-1))


class Dirichlet(distribution.Distribution):
    """Dirichlet distribution over the probability simplex.

    .. math::
        p(x;\\alpha) = \\frac{1}{B(\\alpha)}\\prod_i x_i^{\\alpha_i-1}

    Args:
        alpha (~kusari.Variable or ndarray): the concentrations, shape
            ``batch_shape + (k,)``; ``event_shape`` is ``(k,)``.

    Samples (normalized gamma draws) are not differentiable.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Dirichlet(numpy.array([1., 1., 2.]))
    >>> d.mean.array
    array([0.25, 0.25, 0.5 ])
    """

    def __init__(self, alpha):
        super().__init__()
        alpha = _util.check_param('Dirichlet', 'alpha', alpha, ndim_min=1)
        self.__alpha = alpha

    @_util.cached_property
    def alpha(self):
        return kusari.as_variable(self.__alpha)

    @_util.cached_property
    def alpha0(self):
        return F.sum(self.alpha, axis=-1)

    @property
    def batch_shape(self):
        return self.alpha.shape[:-1]

    @property
    def event_shape(self):
        return self.alpha.shape[-1:]

    @property
    def params(self):
        return {'alpha': self.alpha}

    @_util.cached_property
    def entropy(self):
        return (_lbeta(self.alpha)
                + (self.alpha0 - self.event_shape[0]) * F.digamma(self.alpha0)
                - F.sum((self.alpha - 1) * F.digamma(self.alpha), axis=-1))

    def log_prob(self, x):
        x = _util.as_input(x, self.alpha.dtype)
        return -_lbeta(self.alpha) + F.sum((self.alpha - 1) * F.log(x), axis=-1)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return self.alpha / F.expand_dims(self.alpha0, axis=-1)

    @_util.cached_property
    def variance(self):
        alpha0 = F.expand_dims(self.alpha0, axis=-1)
        return self.alpha * (alpha0 - self.alpha) / alpha0 ** 2 / (alpha0 + 1)

    @property
    def support(self):
        return '[0, 1]'

    def sample_n(self, n):
        alpha = self.alpha.array
        g = _util.random_module(alpha).gamma(alpha, size=(n,) + alpha.shape)
        g /= g.sum(axis=-1, keepdims=True)
        return kusari.Variable(g.astype(alpha.dtype))


@distribution.register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(dist1, dist2):
    return (-_lbeta(dist1.alpha) + _lbeta(dist2.alpha)
            + F.sum((dist1.alpha - dist2.alpha)
                    * (F.digamma(dist1.alpha)
                       - F.expand_dims(F.digamma(dist1.alpha0), axis=-1)),
                    axis=-1))
