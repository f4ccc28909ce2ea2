from kusari import _core
from kusari import function_node
from kusari.utils import type_check


class Flatten(function_node.FunctionNode):
    """Flatten to one dimension (C order)."""

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))

    def forward(self, inputs):
        return inputs[0].reshape(-1),

    def backward(self, indexes, grad_outputs):
        return _core.Reshape(self.inputs[0].shape).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].reshape(self.inputs[0].shape),


def flatten(x):
    """Flatten ``x`` into a one-dimensional array (C order).

    Args:
        x (Variable or ndarray): the input, of any shape.

    Returns:
        ~kusari.Variable: an array of shape ``(x.size,)``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1, 2], [3, 4]], numpy.float32)
    >>> F.flatten(x).array
    array([1., 2., 3., 4.], dtype=float32)
    """
    return Flatten().apply((x,))[0]
