"""Contrastive loss (``F.contrastive``)."""
import numpy

from kusari import backend
from kusari.function_node import FunctionNode
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'contrastive'

# below this distance the gradient of ||d|| uses this denominator (Chainer's 1e-8)
_EPS = 1e-8


class _RowNorm(FunctionNode):
    """``||d[n]||_2`` per row; its gradient ``d / max(||d||, eps)`` is 0 at d = 0."""

    def forward(self, inputs):
        d, = inputs
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        xp = backend.get_array_module(d)
        return xp.sqrt((d * d).sum(axis=1)),

    def backward(self, indexes, grad_outputs):
        from kusari.functions.math.minmax_elementwise import maximum
        d, = self.get_retained_inputs()
        n, = self.get_retained_outputs()
        gy, = grad_outputs
        xp = backend.get_array_module(n.array)
        # 1e-8 underflows in float16: its smallest normal number there
        eps = max(_EPS, float(numpy.finfo(n.dtype).tiny))
        denom = maximum(n, xp.full(n.shape, eps, n.dtype))
        scale = _ops.reshape(gy / denom, (n.shape[0], 1))
        return _ops.broadcast_to(scale, d.shape) * d,


def contrastive(x0, x1, y, margin=1, reduce='mean'):
    """Contrastive loss of pairs: pull similar pairs together, push others apart.

    With ``d_n = ||x0[n] - x1[n]||_2``, the loss of pair ``n`` is
    ``(y_n d_n^2 + (1 - y_n) max(margin - d_n, 0)^2) / 2``; ``reduce='mean'``
    sums them and divides by ``N``.  As in Chainer, the gradient of ``d_n`` divides
    by ``max(d_n, 1e-8)``, so identical pairs get a zero gradient (not NaN).

    Args:
        x0 (Variable or array): ``(N, K)`` float features.
        x1 (Variable or array): ``(N, K)`` features of the same dtype.
        y (Variable or array): ``(N,)`` int labels, 1 for similar and 0 for
            dissimilar pairs.
        margin (float): the margin (> 0).
        reduce (str): ``'mean'`` (a scalar) or ``'no'`` (``(N,)``).

    Returns:
        Variable: the loss.

    >>> import numpy, kusari.functions as F
    >>> x0 = numpy.array([[0., 0.], [0., 0.]])
    >>> x1 = numpy.array([[3., 4.], [0.3, 0.4]])
    >>> F.contrastive(x0, x1, numpy.array([1, 0]), reduce='no').array
    array([12.5  ,  0.125])
    """
    _common.check_reduce(_NAME, reduce, ('mean', 'no'))
    if margin <= 0:
        raise ValueError('%s: margin should be positive value, got %r' % (_NAME, margin))
    a0, a1, ya = _common.arrays(x0, x1, y)
    _common.check_float_same(_NAME, ('x0', 'x1'), (a0, a1))
    if a0.ndim != 2:
        raise _ops.invalid(_NAME, 'x0.ndim == 2', '%d != 2' % a0.ndim)
    if ya.dtype.kind not in 'iu':
        raise _ops.invalid(_NAME, 'y.dtype.kind == i', '%s != i' % ya.dtype.kind)
    if ya.shape != (a0.shape[0],):
        raise _ops.invalid(_NAME, 'y.shape == (x0.shape[0],)',
                           '%s != %s' % (ya.shape, (a0.shape[0],)))
    yf = ya.astype(a0.dtype)
    diff = _ops.as_var(x0) - x1
    dist_sq = _ops.sum(diff * diff, axis=1)
    dist = _RowNorm().apply((diff,))[0]
    mdist = _ops.relu(margin - dist)
    loss = (dist_sq * yf + mdist * mdist * (1 - yf)) * 0.5
    if reduce == 'mean':
        return _ops.sum(loss) * (1.0 / max(a0.shape[0], 1))
    return loss
