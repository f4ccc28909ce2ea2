import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _segment_sum(g, repeats, n):
    """Sum consecutive blocks of axis 0 of ``g``: block ``k`` has ``repeats[k]`` rows
    (or ``repeats[0]`` rows each when one count is given); ``n`` blocks."""
    xp = backend.get_array_module(g)
    rest = g.shape[1:]
    if len(repeats) == 1:
        r = repeats[0]
        if r == 0:
            return xp.zeros((n,) + rest, g.dtype)
        return g.reshape((n, r) + rest).sum(axis=1)
    out = xp.zeros((n,) + rest, g.dtype)
    starts = numpy.concatenate(([0], numpy.cumsum(repeats)[:-1]))
    nz = [k for k in range(n) if repeats[k] > 0]
    if not nz:
        return out
    if xp is numpy:
        out[nz] = numpy.add.reduceat(g, starts[nz], axis=0)
    else:
        for k in nz:
            out[k] = g[starts[k]:starts[k] + repeats[k]].sum(axis=0)
    return out


def _repeat_grad(gy, repeats, axis, in_shape):
    if axis is None:
        n = int(numpy.prod(in_shape, dtype=numpy.int64))
        return _segment_sum(gy, repeats, n).reshape(in_shape)
    xp = backend.get_array_module(gy)
    g = xp.moveaxis(gy, axis, 0)
    gx = _segment_sum(g, repeats, in_shape[axis])
    return xp.ascontiguousarray(xp.moveaxis(gx, 0, axis))


class Repeat(function_node.FunctionNode):
    """Repeat the elements of an array (as :func:`numpy.repeat`)."""

    def __init__(self, repeats, axis=None):
        # Chainer takes bools as counts (True is 1)
        if isinstance(repeats, (bool, numpy.bool_)):
            repeats = int(repeats)
        elif isinstance(repeats, (tuple, list)):
            repeats = [int(r) if isinstance(r, (bool, numpy.bool_)) else r for r in repeats]
        if _util.is_int(repeats):
            repeats = (int(repeats),)
        else:
            try:
                repeats = tuple(repeats)
            except TypeError:
                raise TypeError('repeat: repeats must be an int or a sequence of ints, '
                                'got %r' % (repeats,)) from None
            if not all(_util.is_int(r) for r in repeats):
                raise TypeError('repeat: repeats must contain ints, got %r'
                                % (repeats,))
            repeats = tuple(int(r) for r in repeats)
        if len(repeats) == 0:
            raise ValueError('repeat: repeats must not be empty')
        if any(r < 0 for r in repeats):
            raise ValueError('repeat: repeats must be non-negative, got %r'
                             % (repeats,))
        if axis is not None and not _util.is_int(axis):
            raise TypeError('repeat: axis must be None or an int, got %r' % (axis,))
        self.repeats = repeats
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        if self.axis is None:
            n = type_check.eval(x.size)
        else:
            axis = _util.normalize_axis('Repeat', self.axis, type_check.eval(x.ndim))
            n = type_check.eval(x.shape)[axis]
        if len(self.repeats) != 1 and len(self.repeats) != n:
            _util.invalid('Repeat', 'len(repeats) == 1 or len(repeats) == %d (the '
                          'length of the repeated axis)' % n,
                          'len(repeats) == %d' % len(self.repeats))

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self._axis = None if self.axis is None else self.axis % x.ndim
        reps = self.repeats[0] if len(self.repeats) == 1 else list(self.repeats)
        return xp.repeat(x, reps, axis=self._axis),

    def backward(self, indexes, grad_outputs):
        return RepeatGrad(self.repeats, self._axis,
                          self.inputs[0].shape).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _repeat_grad(grad_outputs[0], self.repeats, self._axis,
                            self.inputs[0].shape),


class RepeatGrad(function_node.FunctionNode):
    """Gradient of :class:`Repeat`: sum the gradients of the copies of each element."""

    def __init__(self, repeats, axis, in_shape):
        self.repeats = repeats
        self.axis = axis
        self.in_shape = tuple(in_shape)

    def forward(self, inputs):
        return _repeat_grad(inputs[0], self.repeats, self.axis, self.in_shape),

    def backward(self, indexes, grad_outputs):
        return Repeat(self.repeats, self.axis).apply(grad_outputs)


def repeat(x, repeats, axis=None):
    """Repeat the elements of ``x`` (as :func:`numpy.repeat`).

    Args:
        x (Variable or ndarray): the input.
        repeats (int or sequence of ints): how many times each element is repeated:
            one count for all, or one per element along ``axis``.
        axis (int or None): the axis along which to repeat; ``None`` flattens ``x``
            first.

    Returns:
        ~kusari.Variable: the repeated array.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1, 2], [3, 4]], numpy.float32)
    >>> F.repeat(x, 2).array
    array([1., 1., 2., 2., 3., 3., 4., 4.], dtype=float32)
    >>> F.repeat(x, (1, 2), axis=0).array
    array([[1., 2.],
           [3., 4.],
           [3., 4.]], dtype=float32)
    """
    return Repeat(repeats, axis).apply((x,))[0]
