import numpy

from kusari import backend
from kusari import function_node
from kusari.utils import type_check


def _sum_to_array(g, shape):
    """``g`` summed over the axes broadcast to reach its shape from ``shape``."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and g.shape[i + lead] != 1)
    g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape) if lead else g


class Where(function_node.FunctionNode):
    """Choose elements of ``x`` where ``condition`` holds, else of ``y``."""

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('condition', 'x', 'y'))
        c, x, y = in_types
        type_check.expect(
            c.dtype == numpy.bool_,
            x.dtype == y.dtype,
        )

    def forward(self, inputs):
        c, x, y = inputs
        # the three shapes broadcast together, as in Chainer
        try:
            numpy.broadcast_shapes(c.shape, x.shape, y.shape)
        except ValueError:
            raise type_check.InvalidType(
                'condition.shape, x.shape and y.shape broadcastable',
                '%s, %s, %s' % (c.shape, x.shape, y.shape),
                msg='Invalid operation is performed in: Where (Forward)\n\nExpect: '
                'condition.shape, x.shape and y.shape broadcastable\nActual: %s, %s, %s'
                % (c.shape, x.shape, y.shape)) from None
        xp = backend.get_array_module(*inputs)
        self._c = c
        return xp.where(c, x, y),

    def backward(self, indexes, grad_outputs):
        from kusari.functions.math.sum import sum_to
        g, = grad_outputs
        xp = backend.get_array_module(g)
        zeros = xp.zeros(g.shape, g.dtype)
        c = self._c
        if c.shape != g.shape:
            c = xp.broadcast_to(c, g.shape)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(None)
                continue
            gi = Where().apply((c, g, zeros) if i == 1 else (c, zeros, g))[0]
            shape = self.inputs[i].shape
            ret.append(gi if gi.shape == shape else sum_to(gi, shape))
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
                ret.append(_sum_to_array(xp.where(self._c, g, zero), self.inputs[1].shape))
            else:
                ret.append(_sum_to_array(xp.where(self._c, zero, g), self.inputs[2].shape))
        return tuple(ret)


def where(condition, x, y):
    """Choose elements: ``x`` where ``condition`` is True, ``y`` elsewhere.

    Args:
        condition (Variable or ndarray): a boolean array (no gradient).
        x (Variable or ndarray): the values taken where ``condition`` holds.
        y (Variable or ndarray): the values taken elsewhere; same dtype as ``x``.
            The three shapes broadcast together (as in Chainer).

    Returns:
        ~kusari.Variable: the chosen values, of the broadcast shape.

    >>> import numpy, kusari.functions as F
    >>> cond = numpy.array([[True, False], [False, True]])
    >>> x = numpy.array([[1, 2], [3, 4]], numpy.float32)
    >>> y = numpy.zeros((2, 2), numpy.float32)
    >>> F.where(cond, x, y).array
    array([[1., 0.],
           [0., 4.]], dtype=float32)
    """
    return Where().apply((condition, x, y))[0]
