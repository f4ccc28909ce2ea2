import numpy

import kusari
from kusari import function_node
from kusari.utils import type_check


class Cast(function_node.FunctionNode):
    """Cast an array to dtype ``typ``; the gradient is cast back (float input only)."""

    def __init__(self, typ):
        self.type = numpy.dtype(typ)

    def check_type_forward(self, in_types):
        # any dtype, as in Chainer (int labels cast to int64, say)
        type_check._argname(in_types, ('x',))

    def forward(self, inputs):
        x, = inputs
        self._in_type = x.dtype
        return x.astype(self.type, copy=False),

    def backward(self, indexes, grad_outputs):
        if self._in_type.kind != 'f' or grad_outputs[0].dtype.kind != 'f':
            return None,
        return Cast(self._in_type).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        if self._in_type.kind != 'f' or grad_outputs[0].dtype.kind != 'f':
            return None,
        return grad_outputs[0].astype(self._in_type, copy=False),


def cast(x, typ):
    """Cast ``x`` to the dtype ``typ``.

    Args:
        x (Variable or ndarray): an array of any shape and dtype (only a float
            ``x`` cast to a float dtype gets a gradient).
        typ (str or numpy.dtype): the dtype to cast to.

    Returns:
        ~kusari.Variable: ``x`` as ``typ``; its gradient is cast back to ``x``'s dtype.
        If ``x`` already has dtype ``typ`` and backprop is disabled, ``x`` itself
        (as a Variable) is returned.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(3, dtype=numpy.float64)
    >>> F.cast(x, numpy.float32).dtype
    dtype('float32')
    >>> F.cast(x, 'float16').array
    array([0., 1., 2.], dtype=float16)
    """
    if kusari.as_array(x).dtype == typ and not kusari.config.enable_backprop:
        return kusari.as_variable(x)
    return Cast(typ).apply((x,))[0]
