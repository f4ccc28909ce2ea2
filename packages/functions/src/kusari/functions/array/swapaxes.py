from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class Swapaxes(function_node.FunctionNode):
    """Interchange two axes."""

    def __init__(self, axis1, axis2):
        self.axis1 = axis1
        self.axis2 = axis2

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        ndim = type_check.eval(in_types[0].ndim)
        _util.normalize_axis('Swapaxes', self.axis1, ndim, 'axis1')
        _util.normalize_axis('Swapaxes', self.axis2, ndim, 'axis2')

    def forward(self, inputs):
        return inputs[0].swapaxes(self.axis1, self.axis2),

    def backward(self, indexes, grad_outputs):
        return Swapaxes(self.axis1, self.axis2).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].swapaxes(self.axis1, self.axis2),


def swapaxes(x, axis1, axis2):
    """Interchange two axes of ``x``.

    Args:
        x (Variable or ndarray): the input.
        axis1 (int): the first axis.
        axis2 (int): the second axis.

    Returns:
        ~kusari.Variable: ``x`` with ``axis1`` and ``axis2`` swapped.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.zeros((2, 3, 4), numpy.float32)
    >>> F.swapaxes(x, 0, 2).shape
    (4, 3, 2)
    """
    return Swapaxes(axis1, axis2).apply((x,))[0]
