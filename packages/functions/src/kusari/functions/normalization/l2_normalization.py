"""L2 normalization (``F.normalize``)."""
from kusari import backend
from kusari._core import FunctionNode
from kusari.functions.util import _ops

_NAME = 'normalize'


class NormalizeL2(FunctionNode):
    """``y = x / (||x||_2 + eps)`` along ``axis``.

    The gradient is Chainer's: where a vector is all zero the term with
    ``1 / ||x||`` (whose factor ``x`` is zero there) is left out, so the gradient is
    ``gy / eps`` instead of NaN, to any order.
    """

    def __init__(self, eps=1e-5, axis=(1,)):
        self.eps = eps
        self.axis = axis

    @property
    def label(self):
        return 'NormalizeL2'

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        xp = backend.get_array_module(x)
        norm = xp.sqrt((x * x).sum(axis=self.axis, keepdims=True)) + x.dtype.type(self.eps)
        # asarray: a 0-dim x gives NumPy scalars
        return xp.asarray(x / norm).astype(x.dtype, copy=False),

    def backward(self, indexes, grad_outputs):
        from kusari.functions.array.where import where
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        xp = backend.get_array_module(x.array)
        sq = _ops.sum(x * x, axis=self.axis, keepdims=True)
        zero = xp.asarray(sq.array == 0)
        one = xp.ones(sq.shape, sq.dtype)
        # sqrt only where it is differentiable; the zero vectors' norm is 0
        norm_safe = _ops.sqrt(where(zero, one, sq))
        norm_noeps = where(zero, xp.zeros(sq.shape, sq.dtype), norm_safe)
        norm = _ops.broadcast_to(norm_noeps + self.eps, x.shape)
        x_gy = _ops.broadcast_to(
            _ops.sum(x * gy, axis=self.axis, keepdims=True) / norm_safe, x.shape)
        return (gy * norm - x_gy * x) / (norm * norm),


def normalize(x, eps=1e-5, axis=1):
    """L2-normalize ``x`` along ``axis``: ``y = x / (sqrt(sum(x ** 2, axis)) + eps)``.

    An all-zero vector gives zeros and the gradient ``gy / eps`` (Chainer's), not NaN.

    Args:
        x (Variable or array): float input (``x.ndim >= 1``).
        eps (float): added to the norm to avoid division by zero.
        axis (int or tuple of int): the axes of the norm.

    Returns:
        Variable: of ``x``'s shape.

    >>> import numpy, kusari.functions as F
    >>> F.normalize(numpy.array([[3., 4.]]), eps=0.0).array
    array([[0.6, 0.8]])
    """
    xa = _ops.array_of(x)
    _ops.check_float(_NAME, 'x', xa)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -xa.ndim <= a < xa.ndim:
            raise _ops.invalid(_NAME, '-x.ndim <= axis < x.ndim',
                               'axis = %s, x.ndim = %d' % (axis, xa.ndim))
    return NormalizeL2(eps, axes).apply((x,))[0]
