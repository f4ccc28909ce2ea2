from kusari import _core
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _normalize_axes(func, axes, ndim, name):
    if _util.is_int(axes):
        axes = (axes,)
    try:
        axes = tuple(axes)
    except TypeError:
        raise TypeError('%s: %s must be an int or a sequence of ints, got %r'
                        % (func, name, axes)) from None
    out = tuple(_util.normalize_axis(func, a, ndim, name) for a in axes)
    if len(set(out)) != len(out):
        raise ValueError('%s: repeated axis in %s: %r' % (func, name, axes))
    return out


def _moveaxis_perm(func, source, destination, ndim):
    src = _normalize_axes(func, source, ndim, 'source')
    dst = _normalize_axes(func, destination, ndim, 'destination')
    if len(src) != len(dst):
        raise ValueError('%s: source and destination must have the same number of '
                         'elements, got %d and %d' % (func, len(src), len(dst)))
    order = [a for a in range(ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return tuple(order)


def _inverse(perm):
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return tuple(inv)


class Moveaxis(function_node.FunctionNode):
    """Move axes to new positions (as :func:`numpy.moveaxis`)."""

    def __init__(self, source, destination):
        self.source = source
        self.destination = destination

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        _moveaxis_perm('Moveaxis', self.source, self.destination,
                       type_check.eval(in_types[0].ndim))

    def forward(self, inputs):
        x, = inputs
        self._perm = _moveaxis_perm('Moveaxis', self.source, self.destination, x.ndim)
        return x.transpose(self._perm),

    def backward(self, indexes, grad_outputs):
        return _core.Transpose(_inverse(self._perm)).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0].transpose(_inverse(self._perm)),


def moveaxis(x, source, destination):
    """Move axes of ``x`` to new positions; the other axes keep their order.

    Args:
        x (Variable or ndarray): the input.
        source (int or sequence of ints): the axes to move.
        destination (int or sequence of ints): their new positions.

    Returns:
        ~kusari.Variable: ``x`` with its axes moved.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.zeros((2, 3, 4, 5), numpy.float32)
    >>> F.moveaxis(x, 0, -1).shape
    (3, 4, 5, 2)
    >>> F.moveaxis(x, (0, 1), (2, 3)).shape
    (4, 5, 2, 3)
    """
    return Moveaxis(source, destination).apply((x,))[0]
