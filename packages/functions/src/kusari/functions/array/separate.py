from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class Separate(function_node.FunctionNode):
    """Split an array into the slices along an axis, removing that axis."""

    def __init__(self, axis):
        if not _util.is_int(axis):
            raise TypeError('separate: axis must be an int, got %r' % (axis,))
        self.axis = int(axis)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        _util.normalize_axis('Separate', self.axis, type_check.eval(in_types[0].ndim))

    def forward(self, inputs):
        x, = inputs
        self._axis = self.axis % x.ndim
        xp = backend.get_array_module(x)
        head = (slice(None),) * self._axis
        return tuple(xp.asarray(x[head + (i,)]) for i in range(x.shape[self._axis]))

    def _grads(self, grad_outputs):
        xp = backend.get_array_module(*[g for g in grad_outputs if g is not None])
        n = self.inputs[0]
        shape = n.shape[:self._axis] + n.shape[self._axis + 1:]
        return tuple(xp.zeros(shape, n.dtype) if g is None else g
                     for g in grad_outputs)

    def backward(self, indexes, grad_outputs):
        from kusari.functions.array.stack import Stack
        return Stack(self._axis).apply(self._grads(grad_outputs))

    def backward_array(self, indexes, grad_outputs):
        xp = backend.get_array_module(*[g for g in grad_outputs if g is not None])
        return xp.stack(self._grads(grad_outputs), axis=self._axis),


def separate(x, axis=0):
    """Separate ``x`` into its slices along ``axis``.

    Args:
        x (Variable or ndarray): the input.
        axis (int): the axis to separate along.

    Returns:
        tuple of Variables: ``x.shape[axis]`` arrays, each of ``x``'s shape without
        ``axis``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1, 2, 3], [4, 5, 6]], numpy.float32)
    >>> a, b = F.separate(x)
    >>> b.array
    array([4., 5., 6.], dtype=float32)
    >>> [v.shape for v in F.separate(x, axis=1)]
    [(2,), (2,), (2,)]
    """
    return Separate(axis).apply((x,))
