"""Elementwise absolute error (``F.absolute_error``)."""
from kusari import backend
from kusari._core import FunctionNode
from kusari.functions.loss import _common


class AbsoluteError(FunctionNode):
    """``|x0 - x1|`` elementwise (the gradient at 0 is 0)."""

    def forward(self, inputs):
        x0, x1 = inputs
        _common.check_float_same('absolute_error', ('x0', 'x1'), inputs)
        xp = backend.get_array_module(x0)
        diff = x0 - x1
        self._sign = xp.sign(diff)
        return abs(diff),

    def backward(self, indexes, gy):
        gx0 = gy[0] * self._sign
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)

    def backward_array(self, indexes, gy):
        gx0 = gy[0] * self._sign
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def absolute_error(x0, x1):
    """Elementwise absolute error ``|x0 - x1|``.

    Args:
        x0 (Variable or array): float array of any shape.
        x1 (Variable or array): array of the same shape and dtype.

    Returns:
        Variable: array of ``x0``'s shape.

    >>> import numpy, kusari.functions as F
    >>> F.absolute_error(numpy.array([1., 2.]), numpy.array([0., 4.])).array
    array([1., 2.])
    """
    return AbsoluteError().apply((x0, x1))[0]
