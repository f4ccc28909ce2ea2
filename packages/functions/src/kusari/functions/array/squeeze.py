from kusari import _core
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class Squeeze(function_node.FunctionNode):
    """Remove axes of length 1 (all of them, or the given ones)."""

    def __init__(self, axis=None):
        if axis is None:
            self.axis = None
        elif _util.is_int(axis):
            self.axis = (int(axis),)
        else:
            try:
                self.axis = tuple(axis)
            except TypeError:
                raise TypeError('squeeze: axis must be None, an int or a tuple of ints,'
                                ' got %r' % (axis,)) from None
            if not all(_util.is_int(a) for a in self.axis):
                raise TypeError('squeeze: axis must contain ints, got %r' % (axis,))

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        if self.axis is None:
            return
        ndim = type_check.eval(x.ndim)
        for a in self.axis:
            # an axis out of range is InvalidType; one of length != 1 is ValueError
            # (raised by forward), as in Chainer
            _util.normalize_axis('Squeeze', a, ndim)

    def forward(self, inputs):
        x, = inputs
        if self.axis is not None:
            for a in self.axis:
                if x.shape[a] != 1:
                    raise ValueError('squeeze: cannot select an axis to squeeze out '
                                     'which has size not equal to one (axis %d of shape '
                                     '%s)' % (a, x.shape))
        xp = _core.get_array_module(x)
        return xp.squeeze(x, self.axis),

    def backward(self, indexes, grad_outputs):
        return _core.Reshape(self.inputs[0].shape).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].reshape(self.inputs[0].shape),


def squeeze(x, axis=None):
    """Remove axes of length 1 from ``x``.

    Args:
        x (Variable or ndarray): the input.
        axis (None, int or tuple of ints): the axes to remove; each must have length 1.
            ``None`` removes every axis of length 1.

    Returns:
        ~kusari.Variable: ``x`` without those axes.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.zeros((1, 2, 1, 3), numpy.float32)
    >>> F.squeeze(x).shape
    (2, 3)
    >>> F.squeeze(x, axis=2).shape
    (1, 2, 3)
    """
    return Squeeze(axis).apply((x,))[0]
