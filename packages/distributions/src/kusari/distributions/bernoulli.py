"""The Bernoulli distribution."""
import numpy

import kusari
import kusari.functions as F
from kusari import backend
from kusari import function_node
from kusari.distributions import _util
from kusari.distributions import distribution


class BernoulliLogProb(function_node.FunctionNode):
    """log P(x; logit) = x * logit - softplus(logit), the gradient only to ``logit``.

    An infinite logit (p = 0 or 1) gives log(x) or log(1 - x) (0 or -inf) and a NaN
    gradient; with ``binary_check`` an ``x`` other than 0 or 1 gives -inf.
    """

    def __init__(self, binary_check=False):
        super().__init__()
        self.binary_check = binary_check

    def forward(self, inputs):
        logit, x = inputs
        self.retain_inputs((0, 1))
        xp = backend.get_array_module(logit, x)
        # softplus(l) = log(1 + exp(l)) = logaddexp(0, l): no overflow for large |l|;
        # an infinite logit gives NaN here, replaced below
        with numpy.errstate(invalid='ignore'):
            y = x * logit - xp.logaddexp(logit.dtype.type(0), logit)
        isinf = xp.isinf(logit)
        self._logit_isinf = isinf
        if isinf.any():
            with numpy.errstate(divide='ignore', invalid='ignore'):
                y = xp.where(isinf & (logit > 0), xp.log(x), y)
                y = xp.where(isinf & (logit <= 0), xp.log(1 - x), y)
        if self.binary_check:
            self._invalid = (x != 0) & (x != 1)
            y = xp.where(self._invalid, -xp.inf, y)
        return xp.asarray(y, dtype=logit.dtype),

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        logit, x = self.get_retained_inputs()
        xp = backend.get_array_module(logit.array)
        if x.dtype != logit.dtype:
            # x is data (no gradient); logit may be cast (gradient checks in float64)
            x = F.cast(x, logit.dtype)
        dlogit = x - F.sigmoid(logit)
        bad = self._logit_isinf
        if self.binary_check:
            bad = bad | self._invalid
        if bad.any():
            dlogit = _util.where(bad, _util.full_like(dlogit, xp.nan), dlogit)
        g = gy * dlogit
        if g.shape != logit.shape:
            g = F.sum_to(g, logit.shape)
        return g, None


def _bernoulli_log_prob(logit, x, binary_check=False):
    return BernoulliLogProb(binary_check).apply((logit, x))[0]


class Bernoulli(distribution.Distribution):
    """Bernoulli distribution: :math:`P(x=1) = p`, :math:`P(x=0) = 1 - p`.

    Args:
        p (~kusari.Variable or ndarray): the probability of 1.  Give either ``p``
            or ``logit`` (not both).
        logit (~kusari.Variable or ndarray): :math:`\\log\\{p/(1-p)\\}`.
        binary_check (bool): if ``True``, ``log_prob``/``prob`` of a value other
            than 0 and 1 are ``-inf``/0 (otherwise the formula is extended to
            real ``x``).

    Samples are integers 0/1 (not differentiable).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.Bernoulli(p=numpy.array([0.25, 0.5], numpy.float32))
    >>> d.prob(numpy.array([1, 1], numpy.float32)).array
    array([0.25, 0.5 ], dtype=float32)
    """

    def __init__(self, p=None, logit=None, binary_check=False):
        super().__init__()
        if not (p is None) ^ (logit is None):
            raise ValueError(
                'Bernoulli: either `p` or `logit` (not both) must have a value.')
        if p is not None:
            p = _util.check_param('Bernoulli', 'p', p)
        else:
            logit = _util.check_param('Bernoulli', 'logit', logit)
        self.__p = p
        self.__logit = logit
        self.binary_check = binary_check

    @_util.cached_property
    def p(self):
        if self.__p is not None:
            return kusari.as_variable(self.__p)
        return F.sigmoid(self.logit)

    @_util.cached_property
    def logit(self):
        if self.__logit is not None:
            return kusari.as_variable(self.__logit)
        return F.log(self.p) - F.log1p(-self.p)

    @property
    def batch_shape(self):
        return self.p.shape

    @property
    def event_shape(self):
        return ()

    @property
    def params(self):
        return {'logit': self.logit}

    @property
    def entropy(self):
        p = self.p
        return -_util.modified_xlogx(p) - _util.modified_xlogx(1 - p)

    def log_prob(self, x):
        x = _util.as_input(x, self.p.dtype)
        return _bernoulli_log_prob(self.logit, x, self.binary_check)

    def prob(self, x):
        x = kusari.as_variable(_util.as_input(x, self.p.dtype))
        prob = x * self.p + (1 - x) * (1 - self.p)
        if self.binary_check:
            valid = (x.array == 0) | (x.array == 1)
            prob = prob * valid.astype(prob.dtype)
        return prob

    @_util.cached_property
    def mean(self):
        return self.p

    @_util.cached_property
    def variance(self):
        return self.p * (1 - self.p)

    @_util.cached_property
    def stddev(self):
        return self.variance ** 0.5

    @property
    def support(self):
        return '{0, 1}'

    def sample_n(self, n):
        p = self.p.array
        rnd = _util.random_module(p)
        return kusari.Variable(rnd.binomial(1, p, size=(n,) + p.shape))


@distribution.register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(dist1, dist2):
    # log(exp(-l) + 1) = softplus(-l), written stably
    return ((dist1.logit - dist2.logit) * (dist1.p - 1.)
            - F.softplus(-dist1.logit) + F.softplus(-dist2.logit))
