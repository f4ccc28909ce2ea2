"""Sigmoid cross entropy (``F.sigmoid_cross_entropy``)."""
from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari.functions.loss import _common
from kusari.functions.util import _ops

_NAME = 'sigmoid_cross_entropy'


class SigmoidCrossEntropy(FunctionNode):
    """Elementwise binary cross entropy of logits against 0/1 labels (-1: ignored)."""

    ignore_label = -1

    def __init__(self, normalize=True, reduce='mean'):
        self.normalize = normalize
        self.reduce = reduce

    def forward(self, inputs):
        x, t = inputs
        _ops.check_float(_NAME, 'x', x)
        if t.dtype.kind not in 'iu':
            raise _ops.invalid(_NAME, 't.dtype.kind == i', '%s != i' % t.dtype.kind)
        if x.shape != t.shape:
            raise _ops.invalid(_NAME, 'x.shape == t.shape', '%s != %s' % (x.shape, t.shape))
        xp = backend.get_array_module(x)
        self.retain_inputs((0, 1))
        mask = (t != self.ignore_label)
        self._mask = mask.astype(x.dtype)
        # -(x (t - [x >= 0]) - log(1 + exp(-|x|)))
        loss = -(x * (t.astype(x.dtype) - (x >= 0).astype(x.dtype))
                 - xp.log1p(xp.exp(-abs(x)))) * self._mask
        if self.reduce == 'mean':
            count = int(mask.sum()) if self.normalize else len(x) if x.ndim else 1
            self._coeff = 1.0 / max(count, 1)
            acc = 'f' if x.dtype.itemsize < 4 else x.dtype
            return xp.asarray(loss.sum(dtype=acc) * self._coeff, dtype=x.dtype),
        return loss,

    def backward(self, indexes, grad_outputs):
        x, _ = self.get_retained_inputs()
        t = self.inputs[1].data
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            gy = _core.broadcast_to(gy, x.shape) * self._coeff
        tf = t.astype(x.dtype)
        gx = gy * ((_ops.sigmoid(x) - tf) * self._mask)
        return gx, None

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        t = self.inputs[1].data
        xp = backend.get_array_module(x)
        half = x.dtype.type(0.5)
        y = xp.tanh(x * half) * half + half
        g = (y - t.astype(x.dtype)) * self._mask
        gy = grad_outputs[0]
        if self.reduce == 'mean':
            g *= gy * x.dtype.type(self._coeff)
        else:
            g *= gy
        return g, None


def sigmoid_cross_entropy(x, t, normalize=True, reduce='mean'):
    """Binary cross entropy of ``sigmoid(x)`` against labels ``t``.

    Elementwise ``-(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))`` computed
    stably; elements with ``t == -1`` are ignored (loss 0).  With
    ``reduce='mean'`` the sum is divided by the number of non-ignored elements
    (``normalize=True``) or by the batch size ``x.shape[0]`` (``normalize=False``).

    Args:
        x (Variable or array): float logits of any shape.
        t (Variable or array): int labels of ``x``'s shape, 0, 1 or -1 (ignored).
        normalize (bool): see above.
        reduce (str): ``'mean'`` (a scalar) or ``'no'`` (elementwise).

    Returns:
        Variable: the loss (differentiable by ``x`` only).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[0., 0.]])
    >>> t = numpy.array([[1, -1]])
    >>> round(float(F.sigmoid_cross_entropy(x, t).array), 6)    # log 2
    0.693147
    """
    _common.check_reduce(_NAME, reduce, ('mean', 'no'))
    return SigmoidCrossEntropy(normalize, reduce).apply((x, t))[0]
