"""Elementwise linear interpolation: :func:`linear_interpolate`."""
from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


class LinearInterpolate(FunctionNode):
    """``p * x + (1 - p) * y`` elementwise (all three of one shape and dtype)."""

    def forward(self, inputs):
        p, x, y = inputs
        names = ('p', 'x', 'y')
        _util.check_float('LinearInterpolate', 'p', p)
        _util.check_same_dtype('LinearInterpolate', names, inputs)
        _util.check_same_shape('LinearInterpolate', names, inputs)
        self.retain_inputs((0, 1, 2))
        xp = _core.get_array_module(p)
        return _util.force_array(p * (x - y) + y, xp),

    def backward(self, indexes, grad_outputs):
        p, x, y = self.get_retained_inputs()
        g, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(g * (x - y))
            elif i == 1:
                ret.append(g * p)
            else:
                ret.append(g * (1.0 - p))
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        p, x, y = [n.data for n in self.inputs]
        g, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(g * (x - y))
            elif i == 1:
                ret.append(g * p)
            else:
                ret.append(g - g * p)
        return tuple(ret)


def linear_interpolate(p, x, y):
    """Elementwise linear interpolation between ``x`` and ``y`` with weight ``p``.

    .. math:: f(p, x, y) = p x + (1 - p) y

    Args:
        p (Variable or array): float weights.
        x (Variable or array): first operand, of the shape and dtype of ``p``.
        y (Variable or array): second operand, of the shape and dtype of ``p``.

    Returns:
        Variable: the interpolation, of the shape of ``p``.

    >>> import numpy, kusari.functions as F
    >>> p = numpy.array([0., 0.25, 1.], numpy.float32)
    >>> x = numpy.array([4., 4., 4.], numpy.float32)
    >>> y = numpy.zeros(3, numpy.float32)
    >>> F.linear_interpolate(p, x, y).array
    array([0., 1., 4.], dtype=float32)
    """
    return LinearInterpolate().apply((p, x, y))[0]
