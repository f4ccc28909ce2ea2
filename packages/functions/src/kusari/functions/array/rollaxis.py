from kusari import _core
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _rollaxis_perm(axis, start, ndim):
    axis = _util.normalize_axis('Rollaxis', axis, ndim)
    if not _util.is_int(start):
        _util.invalid('Rollaxis', 'start is an int', 'start is %r' % (start,))
    if not -ndim <= start <= ndim:
        _util.invalid('Rollaxis', '-%d <= start <= %d' % (ndim, ndim),
                      'start == %d' % start)
    if start < 0:
        start += ndim
    order = list(range(ndim))
    order.remove(axis)
    order.insert(start - 1 if axis < start else start, axis)
    return tuple(order)


class Rollaxis(function_node.FunctionNode):
    """Roll an axis backwards to a position (as :func:`numpy.rollaxis`)."""

    def __init__(self, axis, start):
        self.axis = axis
        self.start = start

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        _rollaxis_perm(self.axis, self.start, type_check.eval(in_types[0].ndim))

    def forward(self, inputs):
        x, = inputs
        self._perm = _rollaxis_perm(self.axis, self.start, x.ndim)
        return x.transpose(self._perm),

    def _inv(self):
        inv = [0] * len(self._perm)
        for i, p in enumerate(self._perm):
            inv[p] = i
        return tuple(inv)

    def backward(self, indexes, grad_outputs):
        return _core.Transpose(self._inv()).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].transpose(self._inv()),


def rollaxis(x, axis, start=0):
    """Roll ``axis`` of ``x`` backwards until it lies before position ``start``.

    Args:
        x (Variable or ndarray): the input.
        axis (int): the axis to roll.
        start (int): the axis is rolled until it lies before this position
            (``-x.ndim <= start <= x.ndim``).

    Returns:
        ~kusari.Variable: ``x`` with its axes reordered (as :func:`numpy.rollaxis`).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.zeros((2, 3, 4, 5), numpy.float32)
    >>> F.rollaxis(x, 3, 1).shape
    (2, 5, 3, 4)
    >>> F.rollaxis(x, 1, 4).shape
    (2, 4, 5, 3)
    """
    return Rollaxis(axis, start).apply((x,))[0]
