"""Group normalization (``F.group_normalization``)."""
import numpy

from kusari import _core
from kusari import function_node
from kusari.functions.util import _ops

_NAME = 'group_normalization'


def group_normalization(x, groups, gamma, beta, eps=1e-5):
    """Group normalization (Wu & He, 2018).

    The channels of each sample are split into ``groups`` groups; each group is
    normalized over its channels and spatial positions (biased variance), then
    ``y = gamma[c] * x_hat + beta[c]``.

    Args:
        x (Variable or array): ``(N, C, ...)`` float input, ``x.ndim >= 2``.
        groups (int): the number of groups; must divide ``C``.
        gamma (Variable or array): ``(C,)`` float scale. As in Chainer it may have
            another float dtype than ``x`` (float32 parameters with a float16
            ``x`` under ``mixed16``): the normalization is then computed in the
            wider dtype and the result has ``x``'s dtype.
        beta (Variable or array): ``(C,)`` shift, of ``gamma``'s dtype.
        eps (float): added to the variance.

    Returns:
        Variable: of ``x``'s shape.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 3., 10., 20.]], numpy.float32)
    >>> g = numpy.ones(4, numpy.float32); b = numpy.zeros(4, numpy.float32)
    >>> numpy.round(F.group_normalization(x, 2, g, b, eps=0.0).array, 4)
    array([[-1.,  1., -1.,  1.]], dtype=float32)
    """
    xa, ga, ba = (_ops.array_of(v) for v in (x, gamma, beta))
    _ops.check_float(_NAME, 'x', xa)
    _ops.check_float(_NAME, 'gamma', ga)
    _ops.check_same_dtype(_NAME, ('gamma', 'beta'), (ga, ba))
    if xa.ndim < 2:
        raise _ops.invalid(_NAME, 'x.ndim >= 2', '%d < 2' % xa.ndim)
    if not isinstance(groups, int):
        # Chainer raises TypeError for a non-integer ``groups``.
        raise TypeError('%s: groups must be an int, got %r' % (_NAME, groups))
    if groups <= 0:
        raise ValueError('%s: groups must be a positive integer, got %r' % (_NAME, groups))
    C = xa.shape[1]
    if C % groups != 0:
        raise ValueError('%s: the number of channels (%d) must be a multiple of groups '
                         '(%d)' % (_NAME, C, groups))
    if ga.shape != (C,) or ba.shape != (C,):
        raise _ops.invalid(_NAME, 'gamma.shape == beta.shape == (x.shape[1],)',
                           '%s, %s, %d' % (ga.shape, ba.shape, C))
    N = xa.shape[0]
    shape = xa.shape
    xv = _ops.as_var(x)
    out_dtype = xa.dtype
    work_dtype = numpy.result_type(xa.dtype, ga.dtype)
    if work_dtype != xa.dtype:
        xv = _cast(xv, work_dtype)
    if work_dtype != ga.dtype:
        gamma = _cast(gamma, work_dtype)
        beta = _cast(beta, work_dtype)
    xg = _core.reshape(xv, (N, groups, -1))
    mean = _ops.broadcast_to(_ops.mean(xg, axis=2, keepdims=True), xg.shape)
    xc = xg - mean
    var = _ops.mean(xc * xc, axis=2, keepdims=True)
    xhat = xc * _ops.broadcast_to((var + eps) ** -0.5, xg.shape)
    xhat = _core.reshape(xhat, shape)
    es = (1, C) + (1,) * (xa.ndim - 2)
    g = _ops.broadcast_to(_core.reshape(gamma, es), shape)
    b = _ops.broadcast_to(_core.reshape(beta, es), shape)
    y = xhat * g + b
    if y.dtype != out_dtype:
        y = _cast(y, out_dtype)
    return y


def _cast(x, dtype):
    from kusari.functions.array.cast import cast
    return cast(x, dtype)


class _MulInvStd(function_node.FunctionNode):
    """``z = y * inv_std(x)[:, None]`` with the gradient through ``inv_std``.

    ``x`` and ``y`` are ``(N, M)``; ``inv_std`` is ``1 / sqrt(var(x, axis=1) + eps)``
    (biased variance). The forward pass takes the precomputed ``mean`` and
    ``inv_std`` arrays, as Chainer's helper of the same name does; ``dummy_gamma``
    is accepted for Chainer's signature and unused. The backward pass recomputes
    the statistics with differentiable functions, so it can be differentiated again.
    """

    def __init__(self, eps, mean, inv_std, dummy_gamma=None):
        self.eps = eps
        self.mean = mean
        self.inv_std = inv_std

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        x, y = inputs
        return (y * self.inv_std[:, None]).astype(y.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        import kusari.functions as F
        x, y = self.get_retained_inputs()
        gz, = grad_outputs
        n = x.shape[1]
        mean = F.mean(x, axis=1, keepdims=True)
        d = x - F.broadcast_to(mean, x.shape)
        var = F.mean(d * d, axis=1, keepdims=True)
        inv_std = F.rsqrt(var + self.eps)
        ret = []
        if 0 in indexes:
            # d inv_std_i / d x_ik = -inv_std_i ** 3 * (x_ik - mean_i) / n
            s = F.sum(gz * y, axis=1, keepdims=True)
            coef = -(inv_std ** 3) * s / n
            ret.append(F.broadcast_to(coef, x.shape) * d)
        if 1 in indexes:
            ret.append(gz * F.broadcast_to(inv_std, x.shape))
        return tuple(ret)
