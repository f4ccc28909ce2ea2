"""Batch normalization (``F.batch_normalization``, ``F.fixed_batch_normalization``)."""
import warnings

import numpy

from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari.backends import cuda
from kusari.functions.normalization import _batch_normalization_kernels as _k
from kusari.functions.util import _ops

_FAST = (numpy.dtype(numpy.float32), numpy.dtype(numpy.float64))

_bn_fwd_gpu = cuda.elementwise(
    'T x, U mean, U inv_std, U gamma, U beta', 'T y',
    'y = static_cast<T>(gamma * (static_cast<U>(x) - mean) * inv_std + beta)',
    'kusari_bn_fwd')

_bn_bwd_gpu = cuda.elementwise(
    'T x, T gy, U mean, U inv_std, U gamma, U gbeta_n, U ggamma_n', 'T gx',
    '''
    U xh = (static_cast<U>(x) - mean) * inv_std;
    gx = static_cast<T>(gamma * inv_std * (static_cast<U>(gy) - gbeta_n - xh * ggamma_n));
    ''',
    'kusari_bn_bwd')


def compute_axes(x_ndim, gamma_ndim, axis, func='batch_normalization'):
    """(reduced axes, key axes): the axes normalized over and those of gamma."""
    if axis is None:
        axis = (0,) + tuple(range(gamma_ndim + 1, x_ndim))
    elif isinstance(axis, int):
        axis = (axis,)
    axis = tuple(sorted(a % x_ndim if -x_ndim <= a < x_ndim else a for a in axis))
    for a in axis:
        if not 0 <= a < x_ndim:
            raise _ops.invalid(func, '0 <= axis < x.ndim', 'axis = %s, x.ndim = %d'
                               % (axis, x_ndim))
    if len(set(axis)) != len(axis):
        raise ValueError('%s: duplicate axis in %s' % (func, axis))
    key = tuple(i for i in range(x_ndim) if i not in axis)
    return axis, key


def _check(func, x, gamma, others, axis):
    """Check float dtypes and gamma's shape; return (axis, key_axis).

    As in Chainer, the parameters (gamma, beta, mean, var) share one float dtype, which
    may differ from x's: the output has x's dtype, each gradient its input's.
    """
    _ops.check_float(func, 'x', x)
    _ops.check_float(func, 'gamma', gamma)
    names = ('gamma', 'beta', 'mean', 'var')[:1 + len(others)]
    _ops.check_same_dtype(func, names, (gamma,) + tuple(others))
    axis, key = compute_axes(x.ndim, gamma.ndim, axis, func)
    expect = tuple(x.shape[i] for i in key)
    if gamma.shape != expect:
        raise _ops.invalid(func, 'gamma.shape == %s' % (expect,),
                           'gamma.shape = %s, x.shape = %s' % (gamma.shape, x.shape))
    for n, o in zip(names[1:], others):
        if o.shape != gamma.shape:
            raise _ops.invalid(func, '%s.shape == gamma.shape' % n,
                               '%s != %s' % (o.shape, gamma.shape))
    return axis, key


def _acs(shape, key):
    """(A, C, S) when the key axes form one contiguous block, else None."""
    if not key or list(key) != list(range(key[0], key[-1] + 1)):
        return None
    A = int(numpy.prod(shape[:key[0]], dtype=numpy.int64))
    C = int(numpy.prod(shape[key[0]:key[-1] + 1], dtype=numpy.int64))
    S = int(numpy.prod(shape[key[-1] + 1:], dtype=numpy.int64))
    return A, C, S


def _expand(v, x_ndim, key):
    """Reshape a gamma-shaped array/Variable so that it broadcasts against x."""
    shape = [1] * x_ndim
    for i, k in enumerate(key):
        shape[k] = v.shape[i]
    return tuple(shape)


class BatchNormalization(FunctionNode):
    """Normalize with the batch statistics; update running statistics in place."""

    def __init__(self, eps=2e-5, mean=None, var=None, decay=0.9, axis=None):
        self.eps = eps
        self.running_mean = mean
        self.running_var = var
        self.decay = decay
        self.axis = axis
        self.mean = None
        self.inv_std = None

    @property
    def label(self):
        return 'BatchNormalization'

    def forward(self, inputs):
        x, gamma, beta = inputs
        axis, key = _check('batch_normalization', x, gamma, (beta,), self.axis)
        self._axis, self._key = axis, key
        xp = backend.get_array_module(x)
        self.retain_inputs((0, 1))
        m = x.size // max(gamma.size, 1)
        if m == 0:
            raise _ops.invalid('batch_normalization', 'x.size > 0', 'x.size == 0')
        if m == 1:
            warnings.warn('A batch with no more than one sample has been given to '
                          'F.batch_normalization. F.batch_normalization will always '
                          'output a zero tensor for such batches. This could be caused '
                          'by incorrect configuration in your code (such as running '
                          'evaluation while chainer.config.train=True), but could also '
                          'happen in the last batch of training if non-repeating '
                          'iterator is used.', UserWarning)
        acs = _acs(x.shape, key)
        if xp is numpy and acs is not None and x.dtype in _FAST:
            x3 = numpy.ascontiguousarray(x).reshape(acs)
            # the kernel takes the parameters in x's dtype
            g1 = numpy.ascontiguousarray(gamma, x.dtype).reshape(-1)
            b1 = numpy.ascontiguousarray(beta, x.dtype).reshape(-1)
            C = acs[1]
            mean = numpy.empty(C)
            var = numpy.empty(C)
            inv_std = numpy.empty(C)
            y = numpy.empty(acs, x.dtype)
            _k.forward(x3, g1, b1, float(self.eps), y, mean, var, inv_std)
            y = y.reshape(x.shape)
            mean = mean.reshape(gamma.shape)
            var = var.reshape(gamma.shape)
            inv_std = inv_std.reshape(gamma.shape)
        else:
            acc = numpy.float32 if x.dtype == numpy.float16 else x.dtype
            mean = x.mean(axis=axis, dtype=acc)
            var = x.var(axis=axis, dtype=acc)
            inv_std = 1.0 / xp.sqrt(var + acc(self.eps))
            es = _expand(gamma, x.ndim, key)
            if xp is numpy:
                y = (gamma.astype(acc).reshape(es) * (x - mean.reshape(es))
                     * inv_std.reshape(es) + beta.astype(acc).reshape(es)).astype(x.dtype)
            else:
                y = _bn_fwd_gpu(x, mean.reshape(es), inv_std.reshape(es),
                                gamma.astype(acc).reshape(es),
                                beta.astype(acc).reshape(es))
        self.mean = mean
        self.inv_std = inv_std
        if self.running_mean is not None:
            rm = self.running_mean
            rm *= self.decay
            rm += (1 - self.decay) * mean.astype(rm.dtype, copy=False)
        if self.running_var is not None:
            adjust = m / max(m - 1., 1.)
            rv = self.running_var
            rv *= self.decay
            rv += ((1 - self.decay) * adjust) * var.astype(rv.dtype, copy=False)
        return y,

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        gamma = self.inputs[1].data
        gy = grad_outputs[0]
        xp = backend.get_array_module(x)
        key = self._key
        acs = _acs(x.shape, key)
        if xp is numpy and acs is not None and x.dtype in _FAST:
            x3 = numpy.ascontiguousarray(x).reshape(acs)
            gy3 = numpy.ascontiguousarray(gy).reshape(acs)
            gx = numpy.empty(acs, x.dtype)
            ggamma = numpy.empty(acs[1], x.dtype)
            gbeta = numpy.empty(acs[1], x.dtype)
            _k.backward(x3, numpy.ascontiguousarray(gamma, x.dtype).reshape(-1),
                        numpy.ascontiguousarray(self.mean, numpy.float64).reshape(-1),
                        numpy.ascontiguousarray(self.inv_std, numpy.float64).reshape(-1),
                        gy3, gx, ggamma, gbeta)
            return (gx.reshape(x.shape),
                    ggamma.reshape(gamma.shape).astype(gamma.dtype, copy=False),
                    gbeta.reshape(gamma.shape).astype(gamma.dtype, copy=False))
        acc = numpy.float32 if x.dtype == numpy.float16 else x.dtype
        es = _expand(gamma, x.ndim, key)
        axis = self._axis
        m = x.size // max(gamma.size, 1)
        mean = self.mean.reshape(es)
        inv_std = self.inv_std.reshape(es)
        gbeta = gy.sum(axis=axis, dtype=acc)
        xhat = (x - mean) * inv_std
        ggamma = (gy * xhat).sum(axis=axis, dtype=acc)
        g = gamma.astype(acc).reshape(es)
        if xp is numpy:
            gx = g * inv_std * (gy - gbeta.reshape(es) / m - xhat * (ggamma.reshape(es) / m))
            gx = gx.astype(x.dtype)
        else:
            gx = _bn_bwd_gpu(x, gy, mean, inv_std, g, gbeta.reshape(es) / m,
                             ggamma.reshape(es) / m)
        return gx, ggamma.astype(gamma.dtype), gbeta.astype(gamma.dtype)

    def backward(self, indexes, grad_outputs):
        x, gamma = self.get_retained_inputs()
        gy = grad_outputs[0]
        axis, key = self._axis, self._key
        param_dtype = gamma.dtype
        gamma = _to_dtype(gamma, x.dtype)
        es = _expand(gamma, x.ndim, key)
        m = x.size // max(gamma.size, 1)
        mean = _ops.broadcast_to(_ops.mean(x, axis=axis, keepdims=True), x.shape)
        xc = x - mean
        var = _ops.mean(xc * xc, axis=axis, keepdims=True)
        inv_std = _ops.broadcast_to((var + self.eps) ** -0.5, x.shape)
        xhat = xc * inv_std
        gbeta = _ops.sum(gy, axis=axis)
        ggamma = _ops.sum(gy * xhat, axis=axis)
        g = _ops.broadcast_to(_core.reshape(gamma, es), x.shape)
        gb = _ops.broadcast_to(_core.reshape(gbeta, es), x.shape)
        gg = _ops.broadcast_to(_core.reshape(ggamma, es), x.shape)
        gx = g * inv_std * (gy - gb * (1.0 / m) - xhat * gg * (1.0 / m))
        return gx, _to_dtype(ggamma, param_dtype), _to_dtype(gbeta, param_dtype)


def _to_dtype(v, dtype):
    """``v`` as ``dtype`` (a cast node only when the dtypes differ)."""
    if v.dtype == dtype:
        return v
    from kusari.functions.array.cast import cast
    return cast(v, dtype)


def batch_normalization(x, gamma, beta, **kwargs):
    """batch_normalization(x, gamma, beta, eps=2e-5, running_mean=None, running_var=None, decay=0.9, axis=None)

    Batch normalization with the statistics of the current batch.

    ``y = gamma * (x - mean) / sqrt(var + eps) + beta`` where ``mean`` and the
    biased ``var`` are computed over ``axis`` (by default the batch axis 0 and the
    axes after gamma's, e.g. ``(0, 2, 3)`` for images with ``gamma`` of shape
    ``(C,)``).  When ``running_mean`` / ``running_var`` are given they are updated
    in place: ``r = decay * r + (1 - decay) * s`` with the unbiased variance
    ``var * m / (m - 1)`` (``m`` elements per channel).

    Args:
        x (Variable or array): float input, e.g. ``(N, C)`` or ``(N, C, H, W)``.
        gamma (Variable or array): scale, of ``x``'s shape on the axes not
            normalized (e.g. ``(C,)``); a float dtype that may differ from ``x``'s
            (the output has ``x``'s dtype, as in Chainer).
        beta (Variable or array): shift, shaped like ``gamma``, of its dtype.
        eps (float): added to the variance.
        running_mean (array or None): running mean to update in place.
        running_var (array or None): running variance to update in place.
        decay (float): decay rate of the running statistics.
        axis (int, tuple of int or None): the axes normalized over.

    Returns:
        Variable: the normalized ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 2.], [3., 6.]], numpy.float32)
    >>> g = numpy.ones(2, numpy.float32); b = numpy.zeros(2, numpy.float32)
    >>> numpy.round(F.batch_normalization(x, g, b).array, 4)
    array([[-1., -1.],
           [ 1.,  1.]], dtype=float32)
    """
    eps = kwargs.pop('eps', 2e-5)
    running_mean = kwargs.pop('running_mean', None)
    running_var = kwargs.pop('running_var', None)
    decay = kwargs.pop('decay', 0.9)
    axis = kwargs.pop('axis', None)
    if 'train' in kwargs:
        raise ValueError("batch_normalization: the 'train' argument is not supported "
                         "anymore; use kusari.using_config('train', ...)")
    if kwargs:
        raise TypeError('batch_normalization() got unexpected keyword arguments: %s'
                        % ', '.join(sorted(kwargs)))
    return BatchNormalization(eps, running_mean, running_var, decay, axis).apply(
        (x, gamma, beta))[0]


def fixed_batch_normalization(x, gamma, beta, mean, var, eps=2e-5, axis=None):
    """Batch normalization with fixed statistics (inference):
    ``y = gamma * (x - mean) / sqrt(var + eps) + beta``.

    Differentiable by all five inputs (twice as well).

    Args:
        x (Variable or array): float input.
        gamma, beta, mean, var (Variable or array): of ``x``'s shape on the axes not
            normalized (e.g. ``(C,)``), of one float dtype (which may differ from
            ``x``'s; the output has ``x``'s dtype).
        eps (float): added to the variance.
        axis (int, tuple of int or None): the normalized axes (as in
            :func:`batch_normalization`).

    Returns:
        Variable: the normalized ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 3.]], numpy.float32)
    >>> one = numpy.ones(2, numpy.float32); zero = numpy.zeros(2, numpy.float32)
    >>> numpy.round(F.fixed_batch_normalization(x, one, zero, one, one, eps=0.0).array, 4)
    array([[0., 2.]], dtype=float32)
    """
    arrs = [_ops.array_of(v) for v in (x, gamma, beta, mean, var)]
    _, key = _check('fixed_batch_normalization', arrs[0], arrs[1], tuple(arrs[2:]), axis)
    xv = _ops.as_var(x)
    shape = xv.shape
    es = _expand(arrs[1], len(shape), key)

    def b(v):
        return _ops.broadcast_to(_core.reshape(_to_dtype(v, xv.dtype), es), shape)
    inv_std = (_ops.as_var(var) + eps) ** -0.5
    scale = _ops.as_var(gamma) * inv_std
    return (xv - b(mean)) * b(scale) + b(beta)
