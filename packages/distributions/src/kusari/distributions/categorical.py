"""The categorical distribution (class indices)."""
import numpy

import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


def sample_indices(p, n):
    """Draw ``n`` class indices per row of the probabilities ``p`` (``(..., k)``).

    Inverse-CDF sampling on all rows at once: an index is the number of cumulative
    probabilities a uniform draw exceeds.  Returns ``(n,) + p.shape[:-1]`` integers.
    """
    xp = kusari.backend.get_array_module(p)
    cdf = xp.cumsum(p.astype(numpy.float64), axis=-1)
    cdf /= cdf[..., -1:]   # rows summing to 1 up to rounding still end at 1
    u = _util.random_module(p).uniform(0, 1, (n,) + p.shape[:-1])
    idx = (u[..., None] >= cdf).sum(axis=-1)
    return xp.minimum(idx, p.shape[-1] - 1)


class Categorical(distribution.Distribution):
    """Categorical distribution over the classes from 0 to k - 1.

    Args:
        p (~kusari.Variable or ndarray): the class probabilities, shape
            ``batch_shape + (k,)``.  Give either ``p`` or ``logit`` (not both).
        logit (~kusari.Variable or ndarray): unnormalized log probabilities
            (normalized with ``log_softmax`` along the last axis).

    Samples are class indices (integers, not differentiable); ``log_prob`` takes
    integer indices of shape ``sample_shape + batch_shape``.

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Categorical(numpy.array([0.2, 0.3, 0.5], numpy.float32))
    >>> d.log_prob(numpy.array([2, 0])).array
    array([-0.6931472, -1.609438 ], dtype=float32)
    """

    def __init__(self, p=None, logit=None):
        super().__init__()
        if not (p is None) ^ (logit is None):
            raise ValueError(
                'Categorical: either `p` or `logit` (not both) must have a value.')
        if p is not None:
            p = _util.check_param('Categorical', 'p', p, ndim_min=1)
        else:
            logit = _util.check_param('Categorical', 'logit', logit, ndim_min=1)
        self.__p = p
        self.__logit = logit

    @_util.cached_property
    def p(self):
        if self.__p is not None:
            return kusari.as_variable(self.__p)
        return F.exp(self.log_p)

    @_util.cached_property
    def log_p(self):
        if self.__p is not None:
            return F.log(self.p)
        return F.log_softmax(self.__logit, axis=-1)

    @property
    def batch_shape(self):
        return self.p.shape[:-1]

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'p': self.p}

    @_util.cached_property
    def entropy(self):
        return -F.sum(_util.modified_xlogx(self.p), axis=-1)

    def log_prob(self, x):
        x = _util.array_of(x)
        xp = self.xp
        x = xp.asarray(x)
        if x.dtype.kind not in 'iub' and not (x.dtype.kind == 'f' and (
                x == xp.round(x)).all()):
            raise TypeError('Categorical.log_prob: x must hold class indices '
                            '(integers), but got dtype {}'.format(x.dtype))
        k = self.p.shape[-1]
        if x.ndim < len(self.batch_shape) or \
                x.shape[x.ndim - len(self.batch_shape):] != self.batch_shape:
            raise ValueError(
                'Categorical.log_prob: x must have shape sample_shape + {}, but '
                'got {}'.format(self.batch_shape, x.shape))
        log_p = F.broadcast_to(self.log_p, x.shape + (k,))
        flat = F.select_item(F.reshape(log_p, (-1, k)),
                             x.reshape(-1).astype(numpy.int32))
        return F.reshape(flat, x.shape)

    def prob(self, x):
        return F.exp(self.log_prob(x))

    def sample_n(self, n):
        return kusari.Variable(sample_indices(self.p.array, n))


@distribution.register_kl(Categorical, Categorical)
def _kl_categorical_categorical(dist1, dist2):
    return F.sum(dist1.p * (dist1.log_p - dist2.log_p), axis=-1)
