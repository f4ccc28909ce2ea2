import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check

# broadcast_to lives in the core (Variable methods need it); re-exported here.
BroadcastTo = _core.BroadcastTo
broadcast_to = _core.broadcast_to


class Broadcast(function_node.FunctionNode):
    """Broadcast all inputs to their common shape (NumPy's rules)."""

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        shapes = [type_check.eval(t.shape) for t in in_types]
        try:
            numpy.broadcast_shapes(*shapes)
        except ValueError:
            raise type_check.InvalidType(
                'in_types[*].shape are broadcastable',
                ', '.join(str(s) for s in shapes)) from None

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        return tuple(xp.broadcast_arrays(*inputs))

    def backward(self, indexes, grad_outputs):
        ret = []
        for i in indexes:
            g = grad_outputs[i]
            if g is None:
                ret.append(None)
                continue
            ret.append(_core.sum_to(g, self.inputs[i].shape))
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        ret = []
        for i in indexes:
            g = grad_outputs[i]
            ret.append(None if g is None
                       else _util.sum_to_array(g, self.inputs[i].shape))
        return tuple(ret)


def broadcast(*args):
    """Broadcast the given variables to one shape (NumPy's broadcasting rules).

    Args:
        *args (Variable or ndarray): inputs with mutually broadcastable shapes (their
            dtypes may differ).

    Returns:
        A tuple of Variables of the common shape, one per input; a single Variable when
        one argument is given.  The gradient of each input is the output gradient
        summed over the broadcast axes.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([1, 2, 3], numpy.float32)
    >>> y = numpy.array([[10], [20]], numpy.float32)
    >>> bx, by = F.broadcast(x, y)
    >>> bx.shape, by.shape
    ((2, 3), (2, 3))
    >>> by.array
    array([[10., 10., 10.],
           [20., 20., 20.]], dtype=float32)
    """
    if len(args) == 1:
        return _core.as_variable(args[0])
    return Broadcast().apply(args)
