from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _flip(array, axis):
    """``array`` reversed along ``axis`` (a view; Chainer's helper for old NumPy)."""
    idx = [slice(None)] * array.ndim
    idx[axis] = slice(None, None, -1)
    return array[tuple(idx)]


class Flip(function_node.FunctionNode):
    """Reverse the order of elements along one axis."""

    def __init__(self, axis):
        if not _util.is_int(axis):
            raise TypeError('flip: axis must be an int, got %r' % (axis,))
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        if self.axis >= 0:
            type_check.expect(x.ndim > self.axis)
        else:
            type_check.expect(x.ndim >= -self.axis)

    def _flip(self, x):
        return _flip(x, self.axis)

    def forward(self, inputs):
        return self._flip(inputs[0]),

    def backward(self, indexes, grad_outputs):
        return Flip(self.axis).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return self._flip(grad_outputs[0]),


def flip(x, axis):
    """Reverse the order of elements of ``x`` along ``axis``.

    Args:
        x (Variable or ndarray): the input.
        axis (int): the axis to reverse (negative counts from the end).

    Returns:
        ~kusari.Variable: ``x`` reversed along ``axis`` (same shape).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    >>> F.flip(x, 1).array
    array([[2., 1., 0.],
           [5., 4., 3.]], dtype=float32)
    """
    return Flip(axis).apply((x,))[0]
