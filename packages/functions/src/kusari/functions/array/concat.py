import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class Concat(function_node.FunctionNode):
    """Concatenate arrays along an axis."""

    def __init__(self, axis=1):
        if not _util.is_int(axis):
            _util.invalid('Concat', 'axis is an int', 'axis is %r' % (axis,))
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check.expect(in_types.size() > 0)
        type_check._argname((in_types[0],), ('x0',))
        ndim = type_check.eval(in_types[0].ndim)
        if self.axis < 0:
            type_check.expect(in_types[0].ndim >= -self.axis)
        else:
            type_check.expect(in_types[0].ndim > self.axis)
        axis = self.axis % ndim
        for i in range(1, type_check.eval(in_types.size())):
            type_check._argname((in_types[i],), ('x%d' % i,))
            type_check.expect(
                in_types[0].dtype == in_types[i].dtype,
                in_types[0].ndim == in_types[i].ndim,
            )
            for d in range(ndim):
                if d != axis:
                    type_check.expect(in_types[0].shape[d] == in_types[i].shape[d])

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        self._axis = self.axis % inputs[0].ndim
        return xp.concatenate(inputs, axis=self._axis),

    def _sections(self):
        return numpy.cumsum([x.shape[self._axis] for x in self.inputs[:-1]]).tolist()

    def backward(self, indexes, grad_outputs):
        from kusari.functions.array.split_axis import SplitAxis
        if len(self.inputs) == 1:
            return grad_outputs
        return SplitAxis(self._sections(), self._axis).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        if len(self.inputs) == 1:
            return gy,
        xp = backend.get_array_module(gy)
        return tuple(xp.split(gy, self._sections(), axis=self._axis))


def concat(xs, axis=1):
    """Concatenate variables along an axis.

    Args:
        xs (list of Variable or ndarray): arrays of one dtype and ndim whose shapes
            agree except along ``axis``.
        axis (int): the axis to join along (negative counts from the end).

    Returns:
        ~kusari.Variable: the concatenation; its size along ``axis`` is the sum of the
        inputs'.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(0, 6, dtype=numpy.float32).reshape(2, 3)
    >>> y = numpy.arange(6, 8, dtype=numpy.float32).reshape(2, 1)
    >>> F.concat((x, y), axis=1).array
    array([[0., 1., 2., 6.],
           [3., 4., 5., 7.]], dtype=float32)
    """
    return Concat(axis).apply(tuple(xs))[0]
