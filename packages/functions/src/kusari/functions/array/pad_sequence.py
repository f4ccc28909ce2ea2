from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.utils import type_check


class PadSequence(function_node.FunctionNode):
    """Pad arrays of different lengths into one ``(n, length, ...)`` array."""

    def __init__(self, length, padding):
        self.length = length
        self.padding = padding

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        for i, t in enumerate(in_types):
            type_check._argname((t,), ('xs[%d]' % i,))
            type_check.expect(
                t.ndim > 0,
                t.shape[1:] == in_types[0].shape[1:],
                t.dtype == in_types[0].dtype,
            )
            if self.length is not None:
                type_check.expect(t.shape[0] <= self.length)

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        length = max(len(x) for x in inputs) if self.length is None else self.length
        shape = (len(inputs), length) + inputs[0].shape[1:]
        y = xp.full(shape, self.padding, dtype=inputs[0].dtype)
        for i, x in enumerate(inputs):
            y[i, :len(x)] = x
        return y,

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        return tuple(_core.GetItem((i, slice(0, self.inputs[i].shape[0])))
                     .apply((gy,))[0] for i in indexes)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        return tuple(gy[i, :self.inputs[i].shape[0]] for i in indexes)


def pad_sequence(xs, length=None, padding=0):
    """Pad arrays of different lengths to make one array.

    Args:
        xs (list of Variable or ndarray): arrays of one dtype with shapes
            ``(l_i, ...)`` that agree except in the first axis.
        length (int or None): the length of the padded axis; ``None`` means the
            longest ``l_i``.  Every ``l_i`` must be at most ``length``.
        padding (int or float): the value filling the rest.

    Returns:
        ~kusari.Variable: an array of shape ``(len(xs), length, ...)`` whose row ``i``
        starts with ``xs[i]``.

    >>> import numpy, kusari.functions as F
    >>> xs = [numpy.array([1, 2, 3], numpy.float32), numpy.array([4], numpy.float32)]
    >>> F.pad_sequence(xs, padding=-1).array
    array([[ 1.,  2.,  3.],
           [ 4., -1., -1.]], dtype=float32)
    """
    return PadSequence(length, padding).apply(tuple(xs))[0]
