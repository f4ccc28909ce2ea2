"""Elementwise squared error (``F.squared_error``)."""
from kusari._core import FunctionNode
from kusari.functions.loss import _common


class SquaredError(FunctionNode):
    """``(x0 - x1) ** 2`` elementwise."""

    def forward(self, inputs):
        x0, x1 = inputs
        _common.check_float_same('squared_error', ('x0', 'x1'), inputs)
        self.retain_inputs((0, 1))
        diff = x0 - x1
        self._diff = diff
        return diff * diff,

    def backward(self, indexes, gy):
        x0, x1 = self.get_retained_inputs()
        gx0 = gy[0] * (x0 - x1) * 2.0
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)

    def backward_array(self, indexes, gy):
        gx0 = gy[0] * self._diff * self._diff.dtype.type(2)
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def squared_error(x0, x1):
    """Elementwise squared error ``(x0 - x1) ** 2``.

    Args:
        x0 (Variable or array): float array of any shape.
        x1 (Variable or array): array of the same shape and dtype.

    Returns:
        Variable: array of ``x0``'s shape.

    >>> import numpy, kusari.functions as F
    >>> F.squared_error(numpy.array([1., 2.]), numpy.array([0., 4.])).array
    array([1., 4.])
    """
    return SquaredError().apply((x0, x1))[0]
