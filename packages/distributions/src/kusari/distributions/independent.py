"""Reinterpreting batch dimensions of a distribution as event dimensions."""
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Independent(distribution.Distribution):
    """Treat the last batch dimensions of a distribution as event dimensions.

    ``Independent(Normal(loc, scale), 1)`` with ``loc`` of shape ``(4, 3)`` is a
    batch of 4 three-dimensional normals with diagonal covariance: ``log_prob``
    sums over the reinterpreted dimensions.

    Args:
        distribution (Distribution): the base distribution.
        reinterpreted_batch_ndims (int): how many trailing batch dimensions
            become event dimensions; default ``max(0, len(batch_shape) - 1)``.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Independent(D.Normal(numpy.zeros((4, 3)), numpy.ones((4, 3))), 1)
    >>> d.batch_shape, d.event_shape, d.log_prob(numpy.zeros((4, 3))).shape
    ((4,), (3,), (4,))
    """

    def __init__(self, distribution, reinterpreted_batch_ndims=None):
        super().__init__()
        if not isinstance(distribution, _BaseDistribution):
            raise TypeError('Independent: distribution must be a '
                            'kusari.distributions.Distribution, but got {}'.format(
                                type(distribution).__name__))
        ndims = len(distribution.batch_shape)
        if reinterpreted_batch_ndims is None:
            reinterpreted_batch_ndims = max(0, ndims - 1)
        elif not 0 <= reinterpreted_batch_ndims <= ndims:
            raise ValueError(
                'Independent: reinterpreted_batch_ndims must be between 0 and the '
                'number of dimensions of distribution.batch_shape ({}), but got '
                '{}'.format(ndims, reinterpreted_batch_ndims))
        self.__distribution = distribution
        self.__reinterpreted_batch_ndims = reinterpreted_batch_ndims
        batch_ndim = ndims - reinterpreted_batch_ndims
        self.__batch_shape = distribution.batch_shape[:batch_ndim]
        self.__event_shape = (distribution.batch_shape[batch_ndim:]
                              + distribution.event_shape)

    @property
    def distribution(self):
        """Distribution: The base distribution."""
        return self.__distribution

    @property
    def reinterpreted_batch_ndims(self):
        """int: The number of batch dimensions turned into event dimensions."""
        return self.__reinterpreted_batch_ndims

    @property
    def batch_shape(self):
        return self.__batch_shape

    @property
    def event_shape(self):
        return self.__event_shape

    def _reduce(self, op, stat):
        if self.reinterpreted_batch_ndims == 0:
            return stat
        return op(stat, axis=tuple(range(-self.reinterpreted_batch_ndims, 0)))

    @property
    def entropy(self):
        return self._reduce(F.sum, self.distribution.entropy)

    def cdf(self, x):
        return self._reduce(F.prod, self.distribution.cdf(x))

    def icdf(self, x):
        raise RuntimeError('Independent: the cumulative distribution function of a '
                           'multivariate variable is not invertible.')

    def log_cdf(self, x):
        return self._reduce(F.sum, self.distribution.log_cdf(x))

    def log_prob(self, x):
        return self._reduce(F.sum, self.distribution.log_prob(x))

    def log_survival_function(self, x):
        return self._reduce(F.sum, self.distribution.log_survival_function(x))

    def survival_function(self, x):
        return self._reduce(F.prod, self.distribution.survival_function(x))

    def prob(self, x):
        return self._reduce(F.prod, self.distribution.prob(x))

    def perplexity(self, x):
        return self._reduce(F.prod, self.distribution.perplexity(x))

    @property
    def mean(self):
        return self.distribution.mean

    @property
    def mode(self):
        return self.distribution.mode

    @property
    def stddev(self):
        return self.distribution.stddev

    @property
    def variance(self):
        return self.distribution.variance

    @_util.cached_property
    def covariance(self):
        """Block-diagonal covariance, ``batch_shape + (n * d, n * d)``.

        ``n`` is the number of reinterpreted distributions and ``d`` the size of
        the base distribution's event; needs the base ``covariance``.
        """
        inner = self.distribution.batch_shape[len(self.batch_shape):]
        n = 1
        for s in inner:
            n *= s
        d = 1
        for s in self.distribution.event_shape:
            d *= s
        cov = F.reshape(self.distribution.covariance, self.batch_shape + (n, d, d))
        # (..., n, d, d) -> (..., n, d, n, d), zero off the diagonal blocks
        cov = F.broadcast_to(F.expand_dims(cov, -2), self.batch_shape + (n, d, n, d))
        xp = self.xp
        mask = xp.eye(n, dtype=cov.dtype)[:, None, :, None]
        return F.reshape(cov * xp.broadcast_to(mask, cov.shape),
                         self.batch_shape + (n * d, n * d))

    @property
    def params(self):
        return self.distribution.params

    @property
    def support(self):
        return self.distribution.support

    def sample_n(self, n):
        return self.distribution.sample_n(n)

    @property
    def xp(self):
        return self.distribution.xp


_BaseDistribution = distribution.Distribution


@distribution.register_kl(Independent, Independent)
def _kl_independent_independent(dist1, dist2):
    p, q = dist1.distribution, dist2.distribution
    # KL of a product of independent factors is the sum of the factors' KLs
    if dist1.event_shape != dist2.event_shape:
        raise ValueError('kl_divergence: the event shapes of the Independent '
                         'distributions differ: {} and {}'.format(
                             dist1.event_shape, dist2.event_shape))
    if p.event_shape != q.event_shape:
        raise NotImplementedError('kl_divergence: KL between Independent '
                                  'distributions with different base event shapes '
                                  'is not supported.')
    n_axes = len(dist1.event_shape) - len(p.event_shape)
    kl = distribution.kl_divergence(p, q)
    if n_axes == 0:
        return kl
    return F.sum(kl, axis=tuple(-i - 1 for i in range(n_axes)))
