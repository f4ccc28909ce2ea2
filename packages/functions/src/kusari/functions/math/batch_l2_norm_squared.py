"""Squared L2 norm of each sample: :func:`batch_l2_norm_squared`."""
from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


class BatchL2NormSquared(FunctionNode):
    """``sum(x[i] ** 2)`` for every sample ``i`` (the first axis)."""

    def forward(self, inputs):
        x, = inputs
        _util.check_float('BatchL2NormSquared', 'x', x)
        if x.ndim < 2:
            raise _util.invalid('BatchL2NormSquared', 'x.ndim >= 2', '%d < 2' % x.ndim)
        self.retain_inputs((0,))
        xp = _core.get_array_module(x)
        x2 = x.reshape(len(x), -1)
        return _util.force_array((x2 * x2).sum(axis=1), xp),

    def _shape(self):
        shape = self.inputs[0].shape
        return (shape[0],) + (1,) * (len(shape) - 1)

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy = _util.broadcast_to(_util.reshape(grad_outputs[0], self._shape()), x.shape)
        return gy * x * 2.0,

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        gy = grad_outputs[0].reshape(self._shape())
        return gy * (x * x.dtype.type(2)),


def batch_l2_norm_squared(x):
    """Squared L2 norm of each sample of a batch.

    .. math:: y_i = \\|x_i\\|_2^2

    Args:
        x (Variable or array): float array of shape ``(B, ...)`` (at least 2-D).

    Returns:
        Variable: the ``B`` squared norms, of shape ``(B,)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 2.], [3., 4.]], numpy.float32)
    >>> F.batch_l2_norm_squared(x).array
    array([ 5., 25.], dtype=float32)
    """
    return BatchL2NormSquared().apply((x,))[0]
