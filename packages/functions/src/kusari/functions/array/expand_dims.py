from kusari import _core
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class ExpandDims(function_node.FunctionNode):
    """Insert an axis of length 1."""

    def __init__(self, axis):
        if not _util.is_int(axis):
            raise TypeError('expand_dims: axis must be an int, got %r' % (axis,))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        if self.axis >= 0:
            type_check.expect(x.ndim >= self.axis)
        else:
            type_check.expect(x.ndim >= -self.axis - 1)

    def forward(self, inputs):
        xp = _core.get_array_module(inputs[0])
        return xp.expand_dims(inputs[0], self.axis),

    def backward(self, indexes, grad_outputs):
        return _core.Reshape(self.inputs[0].shape).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].reshape(self.inputs[0].shape),


def expand_dims(x, axis):
    """Insert an axis of length 1 into ``x`` at position ``axis``.

    Args:
        x (Variable or ndarray): the input.
        axis (int): where the new axis goes in the output
            (``-x.ndim - 1 <= axis <= x.ndim``).

    Returns:
        ~kusari.Variable: ``x`` with one more axis.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([1, 2, 3], numpy.float32)
    >>> F.expand_dims(x, 0).shape
    (1, 3)
    >>> F.expand_dims(x, -1).shape
    (3, 1)
    """
    return ExpandDims(axis).apply((x,))[0]
