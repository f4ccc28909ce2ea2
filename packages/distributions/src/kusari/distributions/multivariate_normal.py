"""The multivariate normal distribution, parameterized by a Cholesky factor."""
import math

import kusari
import kusari.functions as F
from kusari import backend
from kusari import function_node
from kusari.distributions import _util
from kusari.distributions import distribution

ENTROPYC = 0.5 * math.log(2 * math.pi * math.e)
LOGPROBC = -0.5 * math.log(2 * math.pi)


class TriangularInv(function_node.FunctionNode):
    """Inverse of (a batch of) triangular matrices, ``(..., d, d)``.

    Only the ``lower`` (or upper) triangle of the input is read, as by a triangular
    solve; the inverse of a triangular matrix is triangular.  The gradient
    ``-X^-T gY X^-T`` is restricted to that triangle.
    """

    def __init__(self, lower=True):
        super().__init__()
        self._lower = lower

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        if x.shape[-1] == 0:
            y = x.copy()
        else:
            mask = self._mask(xp, x.shape[-1])
            zero = x.dtype.type(0)
            y = xp.where(mask, xp.linalg.inv(xp.where(mask, x, zero)), zero)
        self.retain_outputs((0,))
        return xp.asarray(y, dtype=x.dtype),

    def _mask(self, xp, d):
        # the lower (or upper) triangle, diagonal included; broadcasts over batches
        mask = xp.tri(d, dtype=bool)
        return mask if self._lower else mask.T

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        invx, = self.get_retained_outputs()
        xp = backend.get_array_module(invx.array)
        mask = self._mask(xp, invx.shape[-1])
        invxT = F.swapaxes(invx, -1, -2)
        gx = -F.matmul(F.matmul(invxT, gy), invxT)
        return _util.where(xp.broadcast_to(mask, gx.shape), gx,
                           _util.full_like(gx, 0)),


def _triangular_inv(x, lower=True):
    a = _util.array_of(x)
    if a.dtype.kind != 'f' or a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise kusari.utils.type_check.InvalidType(
            'x: a floating point (..., d, d) array (square matrices)',
            'dtype {}, shape {}'.format(a.dtype, a.shape),
            'triangular_inv: expected x: a floating point (..., d, d) array (square '
            'matrices), but got dtype {}, shape {}'.format(a.dtype, a.shape))
    return TriangularInv(lower).apply((x,))[0]


def _batch_triangular_inv(x, lower=True):
    return _triangular_inv(x, lower)


def _triangular_logdet(x):
    diag = F.diagonal(x, axis1=-2, axis2=-1)
    return F.sum(F.log(abs(diag)), axis=-1)


class MultivariateNormal(distribution.Distribution):
    """Multivariate normal distribution :math:`\\mathcal{N}(\\mu, LL^T)`.

    .. math::
        p(x;\\mu,L) = (2\\pi)^{-d/2}|L|^{-1}
            \\exp\\left(-\\frac{1}{2}\\|L^{-1}(x-\\mu)\\|^2\\right)

    Args:
        loc (~kusari.Variable or ndarray): the mean, ``batch_shape + (d,)``.
        scale_tril (~kusari.Variable or ndarray): the lower-triangular Cholesky
            factor :math:`L` of the covariance, ``batch_shape + (d, d)``
            (keyword, required).

    Sampling is reparameterized (``loc + L eps``).

    >>> import numpy
    >>> import kusari.distributions as D
    >>> d = D.MultivariateNormal(numpy.zeros(2), scale_tril=numpy.eye(2))
    >>> d.event_shape, round(float(d.log_prob(numpy.zeros(2)).array), 6)
    ((2,), -1.837877)
    """

    def __init__(self, loc, scale_tril=None):
        super().__init__()
        if scale_tril is None:
            raise ValueError('MultivariateNormal: `scale_tril` must have a value.')
        loc = _util.check_param('MultivariateNormal', 'loc', loc, ndim_min=1)
        scale_tril = _util.check_param('MultivariateNormal', 'scale_tril', scale_tril,
                                       ndim_min=2)
        lshape, sshape = loc.shape, scale_tril.shape
        if sshape[-2:] != lshape[-1:] * 2 or sshape[:-2] != lshape[:-1]:
            raise ValueError(
                'MultivariateNormal: scale_tril must have shape loc.shape + '
                '(d,) = {}, but got {}'.format(lshape + lshape[-1:], sshape))
        self.__loc = loc
        self.__scale_tril = scale_tril

    @_util.cached_property
    def loc(self):
        return kusari.as_variable(self.__loc)

    @_util.cached_property
    def scale_tril(self):
        return kusari.as_variable(self.__scale_tril)

    @_util.cached_property
    def _logdet_scale(self):
        return _triangular_logdet(self.scale_tril)

    @property
    def d(self):
        """int: The dimension of an event."""
        return self.scale_tril.shape[-1]

    def __copy__(self):
        return self._copy_to(MultivariateNormal(self.loc, scale_tril=self.scale_tril))

    @property
    def batch_shape(self):
        return self.loc.shape[:-1]

    @property
    def event_shape(self):
        return self.loc.shape[-1:]

    @property
    def params(self):
        return {'loc': self.loc, 'scale_tril': self.scale_tril}

    @_util.cached_property
    def entropy(self):
        return self._logdet_scale + ENTROPYC * self.d

    def log_prob(self, x):
        x = _util.as_input(x, self.loc.dtype)
        inv = _triangular_inv(self.scale_tril)
        diff = x - self.loc
        shape = diff.shape
        inv = F.broadcast_to(inv, shape + (self.d,))
        m = F.matmul(inv, F.expand_dims(diff, axis=-1))
        maha = F.sum(m ** 2, axis=(-2, -1))
        logz = LOGPROBC * self.d - self._logdet_scale
        return F.broadcast_to(logz, maha.shape) - 0.5 * maha

    def prob(self, x):
        return F.exp(self.log_prob(x))

    @_util.cached_property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @_util.cached_property
    def covariance(self):
        return F.matmul(self.scale_tril, F.swapaxes(self.scale_tril, -1, -2))

    @_util.cached_property
    def variance(self):
        return F.sum(self.scale_tril ** 2, axis=-1)

    @_util.cached_property
    def stddev(self):
        return F.sqrt(self.variance)

    @property
    def support(self):
        return 'real'

    def sample_n(self, n):
        loc = self.loc
        eps = _util.standard_normal(loc.array, (n,) + loc.shape + (1,))
        tril = F.broadcast_to(self.scale_tril, (n,) + self.scale_tril.shape)
        return loc + F.squeeze(F.matmul(tril, eps), axis=-1)


@distribution.register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(dist1, dist2):
    inv2 = _triangular_inv(dist2.scale_tril)
    trace = F.sum(F.matmul(inv2, dist1.scale_tril) ** 2, axis=(-2, -1))
    mu = F.expand_dims(dist1.loc - dist2.loc, axis=-1)
    maha = F.sum(F.matmul(inv2, mu) ** 2, axis=(-2, -1))
    return (dist2._logdet_scale - dist1._logdet_scale
            + 0.5 * trace + 0.5 * maha - 0.5 * dist1.d)


