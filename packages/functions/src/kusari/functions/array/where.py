import numpy

from kusari import backend
from kusari import function_node
from kusari.utils import type_check


class Where(function_node.FunctionNode):
    """Choose elements of ``x`` where ``condition`` holds, else of ``y``."""

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('condition', 'x', 'y'))
        c, x, y = in_types
        type_check.expect(
            c.dtype == numpy.bool_,
            x.dtype == y.dtype,
            x.shape == c.shape,
            y.shape == c.shape,
        )

    def forward(self, inputs):
        c, x, y = inputs
        xp = backend.get_array_module(*inputs)
        self._c = c
        return xp.where(c, x, y),

    def backward(self, indexes, grad_outputs):
        g, = grad_outputs
        xp = backend.get_array_module(g)
        zeros = xp.zeros(g.shape, g.dtype)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(None)
            elif i == 1:
                ret.append(Where().apply((self._c, g, zeros))[0])
            else:
                ret.append(Where().apply((self._c, zeros, g))[0])
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        g, = grad_outputs
        xp = backend.get_array_module(g)
        zero = g.dtype.type(0)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(None)
            elif i == 1:
                ret.append(xp.where(self._c, g, zero))
            else:
                ret.append(xp.where(self._c, zero, g))
        return tuple(ret)


def where(condition, x, y):
    """Choose elements: ``x`` where ``condition`` is True, ``y`` elsewhere.

    Args:
        condition (Variable or ndarray): a boolean array (no gradient).
        x (Variable or ndarray): the values taken where ``condition`` holds.
        y (Variable or ndarray): the values taken elsewhere; same dtype as ``x``.
            All three must have the same shape.

    Returns:
        ~kusari.Variable: the chosen values.

    >>> import numpy, kusari.functions as F
    >>> cond = numpy.array([[True, False], [False, True]])
    >>> x = numpy.array([[1, 2], [3, 4]], numpy.float32)
    >>> y = numpy.zeros((2, 2), numpy.float32)
    >>> F.where(cond, x, y).array
    array([[1., 0.],
           [0., 4.]], dtype=float32)
    """
    return Where().apply((condition, x, y))[0]
