"""The continuous uniform distribution."""
import kusari
import kusari.functions as F
from kusari.distributions import _util
from kusari.distributions import distribution


class Uniform(distribution.Distribution):
    """Uniform distribution on ``[low, high]`` (or ``[loc, loc + scale]``).

    Args:
        low (~kusari.Variable or ndarray): the lower bound.
        high (~kusari.Variable or ndarray): the upper bound.
        loc (~kusari.Variable or ndarray): the lower bound (with ``scale``).
        scale (~kusari.Variable or ndarray): the width.

    Give either ``low`` and ``high`` or ``loc`` and ``scale``, as keywords.
    Sampling is reparameterized (``loc + scale * u``).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Uniform(low=numpy.float64(1), high=numpy.float64(3))
    >>> float(d.mean.array), float(d.cdf(numpy.float64(1.5)).array)
    (2.0, 0.25)
    """

    def __init__(self, *, low=None, high=None, loc=None, scale=None):
        super().__init__()
        self._use_low_high = low is not None and high is not None
        self._use_loc_scale = loc is not None and scale is not None
        if not (self._use_low_high ^ self._use_loc_scale) or sum(
                v is not None for v in (low, high, loc, scale)) != 2:
            raise ValueError('Uniform: either `low, high` or `loc, scale` (not '
                             'both) must have a value.')
        if self._use_low_high:
            low = _util.check_param('Uniform', 'low', low)
            high = _util.check_param('Uniform', 'high', high)
        else:
            loc = _util.check_param('Uniform', 'loc', loc)
            scale = _util.check_param('Uniform', 'scale', scale)
        self.__low = low
        self.__high = high
        self.__loc = loc
        self.__scale = scale

    @_util.cached_property
    def low(self):
        if self._use_low_high:
            return kusari.as_variable(self.__low)
        return self.loc

    @_util.cached_property
    def high(self):
        if self._use_low_high:
            return kusari.as_variable(self.__high)
        return self.loc + self.scale

    @_util.cached_property
    def loc(self):
        if self._use_loc_scale:
            return kusari.as_variable(self.__loc)
        return self.low

    @_util.cached_property
    def scale(self):
        if self._use_loc_scale:
            return kusari.as_variable(self.__scale)
        return self.high - self.low

    @property
    def batch_shape(self):
        return self.low.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        if self._use_low_high:
            return {'low': self.low, 'high': self.high}
        return {'loc': self.loc, 'scale': self.scale}

    def cdf(self, x):
        return F.clip((_util.as_input(x, self.low.dtype) - self.loc) / self.scale,
                      0., 1.)

    def icdf(self, x):
        return _util.as_input(x, self.low.dtype) * self.scale + self.loc

    def log_prob(self, x):
        x = _util.array_of(_util.as_input(x, self.low.dtype))
        shape = _util.broadcast_shape(x.shape, self.batch_shape)
        logp = F.broadcast_to(-F.log(self.scale), shape)
        inside = (x >= self.low.array) & (x <= self.high.array)
        return _util.where(inside, logp, _util.full_like(logp, -float('inf')))

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def entropy(self):
        return F.log(self.scale)

    @_util.cached_property
    def mean(self):
        return (self.high + self.low) / 2

    @_util.cached_property
    def variance(self):
        return self.scale ** 2 / 12

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.variance)

    @property
    def support(self):
        return '[low, high]'

    def sample_n(self, n):
        eps = _util.uniform01(self.low.array, (n,) + self.batch_shape)
        return self.icdf(eps)


@distribution.register_kl(Uniform, Uniform)
def _kl_uniform_uniform(dist1, dist2):
    # infinite unless p's support lies inside q's
    outside = ((dist1.high.array > dist2.high.array)
               | (dist1.low.array < dist2.low.array))
    kl = -F.log(dist1.high - dist1.low) + F.log(dist2.high - dist2.low)
    return _util.where(outside, _util.full_like(kl, float('inf')), kl)
