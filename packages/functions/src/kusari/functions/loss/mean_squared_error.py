"""Mean squared error (``F.mean_squared_error``)."""
from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari.functions.loss import _common


class MeanSquaredError(FunctionNode):
    """``sum((x0 - x1) ** 2) / x0.size``."""

    def forward(self, inputs):
        x0, x1 = inputs
        _common.check_float_same('mean_squared_error', ('x0', 'x1'), inputs)
        xp = backend.get_array_module(x0)
        self.retain_inputs((0, 1))
        diff = (x0 - x1).ravel()
        self._diff = diff
        return xp.asarray(diff.dot(diff) / diff.dtype.type(max(diff.size, 1)),
                          dtype=x0.dtype),

    def backward(self, indexes, gy):
        x0, x1 = self.get_retained_inputs()
        coeff = 2.0 / max(x0.size, 1)
        g = _core.broadcast_to(gy[0], x0.shape) * coeff
        gx0 = g * (x0 - x1)
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)

    def backward_array(self, indexes, gy):
        x0 = self.inputs[0].data
        coeff = gy[0] * x0.dtype.type(2.0 / max(x0.size, 1))
        gx0 = (self._diff * coeff).reshape(x0.shape)
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def mean_squared_error(x0, x1):
    """Mean squared error between two arrays: ``sum((x0 - x1) ** 2) / x0.size``.

    Args:
        x0 (Variable or array): float array of any shape.
        x1 (Variable or array): array of the same shape and dtype.

    Returns:
        Variable: a 0-dim array of ``x0``'s dtype.

    >>> import numpy, kusari.functions as F
    >>> x0 = numpy.array([1., 2., 3.], numpy.float32)
    >>> x1 = numpy.array([1., 0., 0.], numpy.float32)
    >>> F.mean_squared_error(x0, x1).array
    array(4.3333335, dtype=float32)
    """
    return MeanSquaredError().apply((x0, x1))[0]
