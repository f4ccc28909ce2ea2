"""Decorrelated (ZCA-whitening) batch normalization.

The channels are split into ``groups`` groups of ``C = c // groups`` channels; within
each group the batch (and spatial) statistics are whitened::

    x_hat = x - mean                 (per group: C x m, m = batch * spatial size)
    Sigma = x_hat x_hat^T / m + eps I
    y     = Sigma^(-1/2) x_hat       (the ZCA transform, via an eigendecomposition)

The gradient uses the Daleckii-Krein formula for the derivative of ``Sigma^(-1/2)``
written so that it stays finite for repeated eigenvalues.
"""
import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.utils import argument
from kusari.utils import type_check


def _work(dtype):
    return numpy.dtype(numpy.float32) if dtype == numpy.float16 else numpy.dtype(dtype)


def _to_groups(x, groups):
    """``(b, c, *s)`` -> ``(groups, c // groups, b * prod(s))``."""
    b, c = x.shape[:2]
    axes = (1, 0) + tuple(range(2, x.ndim))
    return x.transpose(axes).reshape(groups, c // groups, -1)


def _from_groups(y, shape):
    b, c = shape[:2]
    axes = (1, 0) + tuple(range(2, len(shape)))
    return y.reshape((c, b) + tuple(shape[2:])).transpose(axes)


def _check_groups(label, x_shape, groups):
    if x_shape[1] % groups:
        raise type_check.InvalidType(
            'x.shape[1] %% groups == 0', '%d %% %d != 0' % (x_shape[1], groups),
            msg='Invalid operation is performed in: %s (Forward)\n\nExpect: '
            'x.shape[1] %% groups == 0\nActual: %d %% %d != 0'
            % (label, x_shape[1], groups))


class DecorrelatedBatchNormalization(function_node.FunctionNode):
    """ZCA batch whitening node (see :func:`decorrelated_batch_normalization`)."""

    def __init__(self, groups=16, eps=2e-5, mean=None, projection=None, decay=0.9):
        if not (isinstance(groups, (int, numpy.integer)) and groups > 0):
            raise ValueError('decorrelated_batch_normalization: groups must be a '
                             'positive int, got %r' % (groups,))
        self.groups = int(groups)
        self.eps = float(eps)
        self.mean = mean
        self.projection = projection
        self.decay = float(decay)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x_type, = in_types
        type_check.expect(x_type.dtype.kind == 'f', x_type.ndim >= 2)
        _check_groups(self.label, x_type.shape.value, self.groups)
        C = x_type.shape.value[1] // self.groups
        for name, arr, shape in (('running_mean', self.mean, (self.groups, C)),
                                 ('running_projection', self.projection,
                                  (self.groups, C, C))):
            if arr is not None and tuple(arr.shape) != shape:
                raise type_check.InvalidType(
                    '%s.shape == %s' % (name, shape), '%s != %s' % (arr.shape, shape),
                    msg='Invalid operation is performed in: %s (Forward)\n\nExpect: '
                    '%s.shape == %s\nActual: %s' % (self.label, name, shape,
                                                    tuple(arr.shape)))

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        wd = _work(x.dtype)
        g = self.groups
        xh = _to_groups(x, g).astype(wd)
        C, m = xh.shape[1:]
        mean = xh.mean(axis=2, keepdims=True)
        xh = xh - mean
        cov = xp.matmul(xh, xh.transpose(0, 2, 1)) / wd.type(m) \
            + wd.type(self.eps) * xp.eye(C, dtype=wd)
        lam, E = xp.linalg.eigh(cov)
        lam = lam.astype(wd, copy=False)
        E = E.astype(wd, copy=False)
        s = xp.sqrt(lam)
        W = xp.matmul(E / s[:, None, :], E.transpose(0, 2, 1))   # Sigma^(-1/2)
        y = xp.matmul(W, xh)
        self._saved = (xh, E, s, W)
        if self.mean is not None:
            self.mean *= self.decay
            self.mean += ((1 - self.decay) * mean[:, :, 0]).astype(self.mean.dtype)
        if self.projection is not None:
            self.projection *= self.decay
            self.projection += ((1 - self.decay) * W).astype(self.projection.dtype)
        return _from_groups(y, x.shape).astype(x.dtype, copy=False),

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        return _dbn_grad(gy, self.groups, self._saved),

    def backward(self, indexes, grad_outputs):
        return DecorrelatedBatchNormalizationGrad(self.groups, self._saved).apply(
            grad_outputs)


def _dbn_grad(gy, groups, saved):
    xh, E, s, W = saved
    xp = backend.get_array_module(gy)
    m = xh.shape[2]
    g = _to_groups(gy, groups).astype(xh.dtype)
    # dL/dW = g xh^T; pull back through W = f(Sigma), f(l) = l^(-1/2)
    G = xp.matmul(g, xh.transpose(0, 2, 1))
    G = (G + G.transpose(0, 2, 1)) / 2
    F = -1. / (s[:, :, None] * s[:, None, :] * (s[:, :, None] + s[:, None, :]))
    Et = E.transpose(0, 2, 1)
    GS = xp.matmul(xp.matmul(E, F * xp.matmul(xp.matmul(Et, G), E)), Et)
    gxc = xp.matmul(W, g) + (2. / m) * xp.matmul(GS, xh)
    gx = gxc - gxc.mean(axis=2, keepdims=True)
    return _from_groups(gx, gy.shape).astype(gy.dtype, copy=False)


class DecorrelatedBatchNormalizationGrad(function_node.FunctionNode):
    """Gradient of :class:`DecorrelatedBatchNormalization` (not differentiable)."""

    def __init__(self, groups, saved):
        self.groups = groups
        self.saved = saved

    def forward(self, inputs):
        return _dbn_grad(inputs[0], self.groups, self.saved),

    def backward(self, indexes, grad_outputs):
        raise NotImplementedError('decorrelated_batch_normalization: double '
                                  'backpropagation is not supported (as in Chainer)')


def decorrelated_batch_normalization(x, **kwargs):
    """Decorrelated batch normalization function (ZCA whitening per channel group).

    .. math::

       y = \\Sigma^{-1/2} (x - \\mu), \\quad
       \\Sigma = \\frac{1}{m} (x - \\mu)(x - \\mu)^T + \\epsilon I

    computed independently for each group of ``c // groups`` channels, with the
    statistics taken over the batch and spatial axes (``m`` samples).

    Args:
        x (Variable or array): input of shape ``(b, c, ...)``; ``c`` must be a
            multiple of ``groups``.
        groups (int): number of channel groups (default 16).
        eps (float): added to the covariance diagonal (default ``2e-5``).
        running_mean (array or None): ``(groups, c // groups)``, updated in place to
            ``decay * running_mean + (1 - decay) * mean``.
        running_projection (array or None): ``(groups, c // groups, c // groups)``,
            updated in place with the whitening matrices in the same way.
        decay (float): decay rate of the running statistics (default 0.9).

    Returns:
        Variable: the whitened output, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.random.RandomState(0).randn(50, 4).astype(numpy.float32)
    >>> y = F.decorrelated_batch_normalization(x, groups=2).array
    >>> yg = y.reshape(50, 2, 2).transpose(1, 2, 0)   # (groups, C, m)
    >>> numpy.round(yg @ yg.transpose(0, 2, 1) / 50, 3) + 0.0
    array([[[1., 0.],
            [0., 1.]],
    <BLANKLINE>
           [[1., 0.],
            [0., 1.]]], dtype=float32)
    """
    groups, eps, running_mean, running_projection, decay = argument.parse_kwargs(
        kwargs, ('groups', 16), ('eps', 2e-5), ('running_mean', None),
        ('running_projection', None), ('decay', 0.9))
    f = DecorrelatedBatchNormalization(groups, eps, running_mean, running_projection,
                                       decay)
    return f.apply((x,))[0]


def _cast(v, dtype):
    from kusari.functions.array.cast import cast
    return cast(v, dtype)


def fixed_decorrelated_batch_normalization(x, mean, projection, groups=16):
    """Decorrelated batch normalization with fixed statistics (inference).

    ``y = projection @ (x - mean)`` per channel group (the layout of
    :func:`decorrelated_batch_normalization`).  Differentiable with respect to every
    input, to any order.

    Args:
        x (Variable or array): input of shape ``(b, c, ...)``.
        mean (Variable or array): ``(groups, c // groups)`` means.
        projection (Variable or array): ``(groups, c // groups, c // groups)``
            whitening matrices.  ``mean`` and ``projection`` may have a float dtype
            other than ``x``'s; they are used in ``x``'s (the output's) dtype.
        groups (int): number of channel groups.

    Returns:
        Variable: the output, of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(8, dtype=numpy.float32).reshape(2, 4)
    >>> mean = numpy.ones((2, 2), numpy.float32)
    >>> proj = numpy.stack([numpy.eye(2), 2 * numpy.eye(2)]).astype(numpy.float32)
    >>> F.fixed_decorrelated_batch_normalization(x, mean, proj, groups=2).array
    array([[-1.,  0.,  2.,  4.],
           [ 3.,  4., 10., 12.]], dtype=float32)
    """
    label = 'fixed_decorrelated_batch_normalization'
    xa, ma, pa = (_core.as_array(v) for v in (x, mean, projection))

    def bad(expect, actual):
        return type_check.InvalidType(
            expect, actual, msg='Invalid operation is performed in: %s (Forward)\n\n'
            'Expect: %s\nActual: %s' % (label, expect, actual))
    if xa.dtype.kind != 'f':
        raise bad('x.dtype.kind == f', '%s != f' % xa.dtype.kind)
    if xa.ndim < 2:
        raise bad('x.ndim >= 2', '%d < 2' % xa.ndim)
    _check_groups(label, xa.shape, groups)
    C = xa.shape[1] // groups
    for name, a, shape in (('mean', ma, (groups, C)), ('projection', pa, (groups, C, C))):
        if a.dtype.kind != 'f':
            raise bad('%s.dtype.kind == f' % name, '%s != f' % a.dtype.kind)
        if tuple(a.shape) != shape:
            raise bad('%s.shape == %s' % (name, shape), '%s != %s' % (a.shape, shape))
    # statistics of another float dtype (a link's float32 ones with float64 x, say)
    # are used in x's dtype, as Chainer does
    if ma.dtype != xa.dtype:
        mean = _cast(mean, xa.dtype)
    if pa.dtype != xa.dtype:
        projection = _cast(projection, xa.dtype)
    shape = xa.shape
    b = shape[0]
    axes = (1, 0) + tuple(range(2, len(shape)))
    m = b
    for v in shape[2:]:
        m *= v
    xh = _core.reshape(_core.transpose(x, axes), (groups, C, m))
    mu = _core.broadcast_to(_core.reshape(mean, (groups, C, 1)), (groups, C, m))
    y = _core.MatMul().apply((projection, xh - mu))[0]
    y = _core.transpose(_core.reshape(y, (shape[1], b) + tuple(shape[2:])), axes)
    return y
