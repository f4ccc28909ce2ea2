"""Elementwise maximum, minimum and clip."""
import numbers

import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common
from kusari.functions.math.sum import sum_to
from kusari.utils import type_check

__all__ = ['maximum', 'minimum', 'clip']


def _check_select(name, x1, x2):
    """Float inputs of one dtype and broadcastable shapes (Chainer's rules)."""
    _common.check_float(name, x1, 'x1')
    _common.check_same_dtype(name, x1, x2, ('x1', 'x2'))
    try:
        numpy.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise type_check.InvalidType(
            'x1.shape and x2.shape broadcastable', '%s, %s' % (x1.shape, x2.shape),
            msg='Invalid operation is performed in: %s (Forward)\n\nExpect: x1.shape '
            'and x2.shape broadcastable\nActual: %s, %s' % (name, x1.shape, x2.shape)
        ) from None


def _sum_to_array(g, shape):
    """``g`` summed over the axes broadcast to reach its shape from ``shape``."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape)
                                      if n == 1 and g.shape[i + lead] != 1)
    g = g.sum(axis=axes, keepdims=True)
    return g.reshape(shape) if lead else g


class _Select(function_node.FunctionNode):
    """Elementwise maximum or minimum of two arrays of one dtype (broadcast)."""

    name = None

    @property
    def label(self):
        return self.name

    def forward(self, inputs):
        x1, x2 = inputs
        _check_select(self.name, x1, x2)
        xp = backend.get_array_module(x1)
        self.retain_inputs((0, 1))
        if self.name == 'maximum':
            y = xp.maximum(x1, x2)
        else:
            y = xp.minimum(x1, x2)
        return _common.force_array(y, x1.dtype),

    def _cond(self):
        x1 = self.inputs[0].data
        x2 = self.inputs[1].data
        # ties go to x1, as in Chainer
        c = (x1 >= x2) if self.name == 'maximum' else (x1 <= x2)
        return c.astype(x1.dtype), (~c).astype(x1.dtype)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        c1, c2 = self._cond()
        ret = []
        for i in indexes:
            g = gy * (c1 if i == 0 else c2)
            shape = self.inputs[i].shape
            ret.append(g if g.shape == shape else sum_to(g, shape))
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        c1, c2 = self._cond()
        return tuple(_sum_to_array(gy * (c1 if i == 0 else c2), self.inputs[i].shape)
                     for i in indexes)


class Maximum(_Select):
    name = 'maximum'


class Minimum(_Select):
    name = 'minimum'


def maximum(x1, x2):
    """Elementwise maximum of two inputs; the gradient goes to ``x1`` at ties.

    Args:
        x1, x2 (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Inputs of one float dtype and broadcastable
            shapes (as in Chainer).

    Returns:
        ~kusari.Variable: Output of the broadcast shape and that dtype.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([1., 5.], numpy.float32)
    >>> F.maximum(a, numpy.array([3., 2.], numpy.float32)).array
    array([3., 5.], dtype=float32)
    """
    return Maximum().apply((x1, x2))[0]


def minimum(x1, x2):
    """Elementwise minimum of two inputs; the gradient goes to ``x1`` at ties.

    Args:
        x1, x2 (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Inputs of one float dtype and broadcastable
            shapes (as in Chainer).

    Returns:
        ~kusari.Variable: Output of the broadcast shape and that dtype.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.array([1., 5.], numpy.float32)
    >>> F.minimum(a, numpy.array([3., 2.], numpy.float32)).array
    array([1., 2.], dtype=float32)
    """
    return Minimum().apply((x1, x2))[0]


class Clip(function_node.FunctionNode):
    """Limits the values to ``[x_min, x_max]``."""

    def __init__(self, x_min, x_max):
        if x_min is None and x_max is None:
            raise ValueError('clip: x_min and x_max must not both be None')
        for v in (x_min, x_max):
            if v is not None and (not isinstance(v, numbers.Real) or
                                  isinstance(v, bool)):
                raise TypeError('clip: x_min and x_max must be floats or None, got %s'
                                % type(v).__name__)
        if x_min is not None and x_max is not None and not x_min < x_max:
            raise ValueError('clip: x_min must be less than x_max, got %r >= %r'
                             % (x_min, x_max))
        self.x_min = x_min
        self.x_max = x_max

    @property
    def label(self):
        return 'Clip'

    def forward(self, inputs):
        x, = inputs
        _common.check_float('Clip', x)
        self.retain_inputs((0,))
        xp = backend.get_array_module(x)
        return _common.force_array(xp.clip(x, self.x_min, self.x_max), x.dtype),

    def _cond(self):
        # the bounds themselves pass the gradient, as in Chainer
        x = self.inputs[0].data
        xp = backend.get_array_module(x)
        c = xp.ones(x.shape, bool)
        if self.x_min is not None:
            c &= self.x_min <= x
        if self.x_max is not None:
            c &= x <= self.x_max
        return c.astype(x.dtype)

    def backward(self, indexes, grad_outputs):
        return grad_outputs[0] * self._cond(),

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0] * self._cond(),


def clip(x, x_min, x_max):
    """Clips (limits) the elements of ``x`` to ``[x_min, x_max]``.

    The gradient is passed where ``x_min <= x <= x_max`` and is 0 elsewhere.  A
    bound of ``None`` leaves that side open (not both).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        x_min (float or None): Minimum value, or None for no minimum.
        x_max (float or None): Maximum value (greater than ``x_min``), or None.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.clip(numpy.array([-2., 0.5, 3.], numpy.float32), -1.0, 1.0).array
    array([-1. ,  0.5,  1. ], dtype=float32)
    """
    return Clip(x_min, x_max).apply((x,))[0]
