from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _diag_index(shape, offset, axis1, axis2, xp):
    """An index of ``x`` that selects the diagonal, and where the diagonal axis lands."""
    n = min(shape[axis1] + min(offset, 0), shape[axis2] - max(offset, 0))
    n = max(n, 0)
    i = xp.arange(n)
    idx = [slice(None)] * len(shape)
    idx[axis1] = i - min(offset, 0)
    idx[axis2] = i + max(offset, 0)
    # NumPy puts the axis of adjacent advanced indices in place, else in front.
    pos = min(axis1, axis2) if abs(axis1 - axis2) == 1 else 0
    return tuple(idx), pos


class Diagonal(function_node.FunctionNode):
    """Take a diagonal of two axes (as :func:`numpy.diagonal`)."""

    def __init__(self, offset, axis1, axis2):
        self.offset = offset
        self.axis1 = axis1
        self.axis2 = axis2

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        type_check.expect(x.ndim >= 2)
        ndim = type_check.eval(x.ndim)
        a1 = _util.normalize_axis('Diagonal', self.axis1, ndim, 'axis1')
        a2 = _util.normalize_axis('Diagonal', self.axis2, ndim, 'axis2')
        if a1 == a2:
            _util.invalid('Diagonal', 'axis1 != axis2',
                          'axis1 == %d, axis2 == %d' % (self.axis1, self.axis2))

    def forward(self, inputs):
        x, = inputs
        return x.diagonal(self.offset, self.axis1, self.axis2),

    def backward(self, indexes, grad_outputs):
        n = self.inputs[0]
        return DiagonalGrad(n.shape, self.offset, self.axis1,
                            self.axis2).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        n = self.inputs[0]
        return _diag_grad(grad_outputs[0], n.shape, self.offset, self.axis1,
                          self.axis2),


def _diag_grad(gy, shape, offset, axis1, axis2):
    xp = backend.get_array_module(gy)
    ndim = len(shape)
    a1, a2 = axis1 % ndim, axis2 % ndim
    gx = xp.zeros(shape, gy.dtype)
    idx, pos = _diag_index(shape, offset, a1, a2, xp)
    gx[idx] = xp.moveaxis(gy, -1, pos)
    return gx


class DiagonalGrad(function_node.FunctionNode):
    """Gradient of :class:`Diagonal`: place the diagonal into zeros of the input shape."""

    def __init__(self, shape, offset, axis1, axis2):
        self.shape = tuple(shape)
        self.offset = offset
        self.axis1 = axis1
        self.axis2 = axis2

    def forward(self, inputs):
        return _diag_grad(inputs[0], self.shape, self.offset, self.axis1, self.axis2),

    def backward(self, indexes, grad_outputs):
        return Diagonal(self.offset, self.axis1, self.axis2).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].diagonal(self.offset, self.axis1, self.axis2),


def diagonal(x, offset=0, axis1=0, axis2=1):
    """Take a diagonal of ``x`` (as :func:`numpy.diagonal`).

    Args:
        x (Variable or ndarray): an array with ``ndim >= 2``.
        offset (int): offset of the diagonal from the main one (positive: above).
        axis1 (int): first axis of the 2-D sub-arrays.
        axis2 (int): second axis of the 2-D sub-arrays.

    Returns:
        ~kusari.Variable: ``x``'s other axes followed by one axis holding the diagonal.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(9, dtype=numpy.float32).reshape(3, 3)
    >>> F.diagonal(x).array
    array([0., 4., 8.], dtype=float32)
    >>> F.diagonal(x, offset=1).array
    array([1., 5.], dtype=float32)
    """
    return Diagonal(offset, axis1, axis2).apply((x,))[0]
