from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class Stack(function_node.FunctionNode):
    """Join arrays of one shape along a new axis."""

    def __init__(self, axis=0):
        if not _util.is_int(axis):
            raise TypeError('stack: axis must be an int, got %r' % (axis,))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        type_check._argname((in_types[0],), ('x0',))
        _util.normalize_axis('Stack', self.axis, type_check.eval(in_types[0].ndim),
                             extra=1)
        for i in range(1, type_check.eval(in_types.size())):
            type_check._argname((in_types[i],), ('x%d' % i,))
            type_check.expect(
                in_types[0].dtype == in_types[i].dtype,
                in_types[0].shape == in_types[i].shape,
            )

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        self._axis = self.axis % (inputs[0].ndim + 1)
        return xp.stack(inputs, axis=self._axis),

    def backward(self, indexes, grad_outputs):
        from kusari.functions.array.separate import Separate
        return Separate(self._axis).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        xp = backend.get_array_module(gy)
        head = (slice(None),) * self._axis
        return tuple(xp.asarray(gy[head + (i,)]) for i in indexes)


def stack(xs, axis=0):
    """Join variables of one shape along a new axis.

    Args:
        xs (list of Variable or ndarray): arrays of one shape and dtype.
        axis (int): the position of the new axis in the output
            (``-ndim - 1 <= axis <= ndim``).

    Returns:
        ~kusari.Variable: an array with one more axis, of length ``len(xs)``.

    >>> import numpy, kusari.functions as F
    >>> x1 = numpy.array([1, 2], numpy.float32)
    >>> x2 = numpy.array([3, 4], numpy.float32)
    >>> F.stack((x1, x2)).array
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    >>> F.stack((x1, x2), axis=1).shape
    (2, 2)
    """
    return Stack(axis).apply(tuple(xs))[0]
