"""The one-hot categorical distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import categorical
from kusari.distributions import distribution


class OneHotCategorical(distribution.Distribution):
    """Categorical distribution whose events are one-hot vectors of length ``k``.

    Args:
        p (~kusari.Variable or ndarray): the class probabilities, shape
            ``batch_shape + (k,)``; ``event_shape`` is ``(k,)``.

    Samples are one-hot vectors in ``p``'s dtype (not differentiable).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.OneHotCategorical(numpy.array([0.25, 0.75], numpy.float32))
    >>> d.log_prob(numpy.array([0., 1.], numpy.float32)).array
    array(-0.2876821, dtype=float32)
    """

    def __init__(self, p):
        super().__init__()
        p = _util.check_param('OneHotCategorical', 'p', p, ndim_min=1)
        self.__p = p

    @_util.cached_property
    def p(self):
        return kusari.as_variable(self.__p)

    @_util.cached_property
    def log_p(self):
        return F.log(self.p)

    @property
    def batch_shape(self):
        return self.p.shape[:-1]

    @property
    def event_shape(self):
        return self.p.shape[-1:]

    @property
    def params(self):
        return {'p': self.p}

    @_util.cached_property
    def entropy(self):
        return -F.sum(_util.modified_xlogx(self.p), axis=-1)

    def log_prob(self, x):
        x = _util.as_input(x, self.p.dtype)
        return F.sum(self.log_p * x, axis=-1)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return self.p

    @_util.cached_property
    def variance(self):
        return self.p * (1. - self.p)

    @property
    def support(self):
        return 'one-hot vectors of length {}'.format(self.event_shape[0])

    def sample_n(self, n):
        p = self.p.array
        idx = categorical.sample_indices(p, n)
        eye = self.xp.eye(p.shape[-1], dtype=p.dtype)
        return kusari.Variable(eye[idx])


@distribution.register_kl(OneHotCategorical, OneHotCategorical)
def _kl_one_hot_categorical_one_hot_categorical(dist1, dist2):
    return F.sum(dist1.p * (dist1.log_p - dist2.log_p), axis=-1)
