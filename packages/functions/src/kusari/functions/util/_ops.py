"""Small differentiable building blocks shared by the loss, noise, normalization and rnn
families (private).

They depend on kusari's core only, so these families do not depend on the progress of
the activation/math/array families.  Every node's ``backward`` is written with
FunctionNodes (double backprop works) and ``backward_array`` computes the same on
arrays.
"""
import numpy

from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari._core import Variable
from kusari.utils import type_check

_as_variable = _core.as_variable


def as_var(x):
    """``x`` as a Variable (arrays become constants)."""
    return x if isinstance(x, Variable) else _as_variable(x)


def array_of(x):
    """The array of a Variable, or ``x`` itself."""
    return x.array if isinstance(x, Variable) else x


def invalid(func, expect, actual):
    """An :class:`InvalidType` whose message names ``func``."""
    return type_check.InvalidType(
        expect, actual,
        msg='Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
        % (func, expect, actual))


def check_float(func, name, a):
    """Raise InvalidType unless ``a`` has a floating dtype."""
    if a.dtype.kind != 'f':
        raise invalid(func, '%s.dtype.kind == f' % name, '%s != f' % a.dtype.kind)


def check_same_dtype(func, names, arrays):
    d0 = arrays[0].dtype
    for n, a in zip(names[1:], arrays[1:]):
        if a.dtype != d0:
            raise invalid(func, '%s.dtype == %s.dtype' % (names[0], n),
                          '%s != %s' % (d0, a.dtype))


def check_same_shape(func, names, arrays):
    s0 = arrays[0].shape
    for n, a in zip(names[1:], arrays[1:]):
        if a.shape != s0:
            raise invalid(func, '%s.shape == %s.shape' % (names[0], n),
                          '%s != %s' % (s0, a.shape))


def _arr(xp, v, like):
    # NumPy ufuncs on 0-dim arrays return scalars; keep arrays.
    if type(v) is not type(like):
        v = xp.asarray(v)
    return v


# ---- elementwise -------------------------------------------------------------------


class Exp(FunctionNode):
    """``exp(x)``."""

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self.retain_outputs((0,))
        return _arr(xp, xp.exp(x), x),

    def backward(self, indexes, gy):
        y, = self.get_retained_outputs()
        return gy[0] * y,

    def backward_array(self, indexes, gy):
        return gy[0] * self.get_retained_output_arrays()[0],


def exp(x):
    return Exp().apply((x,))[0]


def log(x):
    return _core.Log().apply((x,))[0]


class Tanh(FunctionNode):
    """``tanh(x)``."""

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self.retain_outputs((0,))
        return _arr(xp, xp.tanh(x), x),

    def backward(self, indexes, gy):
        y, = self.get_retained_outputs()
        return gy[0] * (1 - y * y),

    def backward_array(self, indexes, gy):
        y = self.get_retained_output_arrays()[0]
        return gy[0] * (1 - y * y),


def tanh(x):
    return Tanh().apply((x,))[0]


def _sigmoid_array(xp, x):
    half = x.dtype.type(0.5)
    return _arr(xp, xp.tanh(x * half) * half + half, x)


class Sigmoid(FunctionNode):
    """``1 / (1 + exp(-x))``."""

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self.retain_outputs((0,))
        return _sigmoid_array(xp, x),

    def backward(self, indexes, gy):
        y, = self.get_retained_outputs()
        return gy[0] * (y * (1 - y)),

    def backward_array(self, indexes, gy):
        y = self.get_retained_output_arrays()[0]
        return gy[0] * (y * (1 - y)),


def sigmoid(x):
    return Sigmoid().apply((x,))[0]


class Softplus(FunctionNode):
    """``log(1 + exp(x))``, computed stably."""

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self.retain_inputs((0,))
        y = xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))
        return _arr(xp, y.astype(x.dtype, copy=False), x),

    def backward(self, indexes, gy):
        x, = self.get_retained_inputs()
        return gy[0] * sigmoid(x),

    def backward_array(self, indexes, gy):
        x = self.get_retained_input_arrays()[0]
        return gy[0] * _sigmoid_array(backend.get_array_module(x), x),


def softplus(x):
    return Softplus().apply((x,))[0]


class Relu(FunctionNode):
    """``max(x, 0)``."""

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self.retain_outputs((0,))
        return _arr(xp, xp.maximum(x, x.dtype.type(0)), x),

    def _mask(self):
        y = self.get_retained_output_arrays()[0]
        return (y > 0).astype(y.dtype)

    def backward(self, indexes, gy):
        return gy[0] * self._mask(),

    def backward_array(self, indexes, gy):
        return gy[0] * self._mask(),


def relu(x):
    return Relu().apply((x,))[0]


def square(x):
    x = as_var(x)
    return x * x


def sqrt(x):
    return as_var(x) ** 0.5


# ---- reductions --------------------------------------------------------------------


def _norm_axis(axis, ndim):
    if axis is None:
        return None
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(sorted(a % ndim for a in axis))


class Sum(FunctionNode):
    """``x.sum(axis, keepdims)``."""

    def __init__(self, axis=None, keepdims=False):
        self.axis = axis
        self.keepdims = keepdims

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self.axis = _norm_axis(self.axis, x.ndim)
        return _arr(xp, x.sum(axis=self.axis, keepdims=self.keepdims), x),

    def _gshape(self, g):
        shape = self.inputs[0].shape
        if self.axis is None:
            return (1,) * len(shape)
        if self.keepdims:
            return g.shape
        s = list(shape)
        for a in self.axis:
            s[a] = 1
        return tuple(s)

    def backward(self, indexes, gy):
        g = gy[0]
        g = _core.reshape(g, self._gshape(g))
        return _core.broadcast_to(g, self.inputs[0].shape),

    def backward_array(self, indexes, gy):
        g = gy[0]
        xp = backend.get_array_module(g)
        g = g.reshape(self._gshape(g))
        return xp.broadcast_to(g, self.inputs[0].shape),


def sum(x, axis=None, keepdims=False):
    return Sum(axis, keepdims).apply((x,))[0]


def mean(x, axis=None, keepdims=False):
    x = as_var(x)
    axis_n = _norm_axis(axis, x.ndim)
    if axis_n is None:
        n = x.size
    else:
        n = 1
        for a in axis_n:
            n *= x.shape[a]
    return sum(x, axis_n, keepdims) * (1.0 / max(n, 1))


class LogSoftmax(FunctionNode):
    """``x - logsumexp(x, axis)``."""

    def __init__(self, axis=1):
        self.axis = axis

    def forward(self, inputs):
        x, = inputs
        self.retain_outputs((0,))
        return log_softmax_array(x, self.axis),

    def backward(self, indexes, gy):
        y, = self.get_retained_outputs()
        g = gy[0]
        return g - exp(y) * sum(g, self.axis, True),

    def backward_array(self, indexes, gy):
        y = self.get_retained_output_arrays()[0]
        xp = backend.get_array_module(y)
        g = gy[0]
        return g - xp.exp(y) * g.sum(axis=self.axis, keepdims=True),


def log_softmax_array(x, axis=1):
    xp = backend.get_array_module(x)
    m = x.max(axis=axis, keepdims=True)
    y = x - m
    s = xp.exp(y).sum(axis=axis, keepdims=True)
    y -= xp.log(s)
    return y


def log_softmax(x, axis=1):
    return LogSoftmax(axis).apply((x,))[0]


class Softmax(FunctionNode):
    """``exp(x) / sum(exp(x), axis)``."""

    def __init__(self, axis=1):
        self.axis = axis

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        y = xp.exp(x - x.max(axis=self.axis, keepdims=True))
        y /= y.sum(axis=self.axis, keepdims=True)
        self.retain_outputs((0,))
        return y,

    def backward(self, indexes, gy):
        y, = self.get_retained_outputs()
        g = gy[0]
        gx = y * g
        return gx - y * sum(gx, self.axis, True),

    def backward_array(self, indexes, gy):
        y = self.get_retained_output_arrays()[0]
        gx = y * gy[0]
        gx -= y * gx.sum(axis=self.axis, keepdims=True)
        return gx,


def softmax(x, axis=1):
    return Softmax(axis).apply((x,))[0]


# ---- shape -------------------------------------------------------------------------


class Concat(FunctionNode):
    """Concatenate along ``axis``."""

    def __init__(self, axis):
        self.axis = axis

    def forward(self, inputs):
        xp = backend.get_array_module(*inputs)
        self._sizes = [x.shape[self.axis] for x in inputs]
        return xp.concatenate(inputs, axis=self.axis),

    def _slices(self, ndim, indexes):
        axis = self.axis % ndim
        starts = numpy.cumsum([0] + self._sizes)
        ret = []
        for i in indexes:
            sl = [slice(None)] * ndim
            sl[axis] = slice(int(starts[i]), int(starts[i + 1]))
            ret.append(tuple(sl))
        return ret

    def backward(self, indexes, gy):
        g = gy[0]
        return tuple(_core.get_item(g, s) for s in self._slices(g.ndim, indexes))

    def backward_array(self, indexes, gy):
        g = gy[0]
        return tuple(g[s] for s in self._slices(g.ndim, indexes))


def concat(xs, axis=1):
    return Concat(axis).apply(tuple(xs))[0]


def stack(xs, axis=0):
    xs = [as_var(x) for x in xs]
    ax = axis % (xs[0].ndim + 1)
    ys = [_core.reshape(x, x.shape[:ax] + (1,) + x.shape[ax:]) for x in xs]
    return concat(ys, ax)


def split_at(x, points, axis=0):
    """Split ``x`` at ``points`` along ``axis`` (a list of Variables)."""
    x = as_var(x)
    ax = axis % x.ndim
    bounds = [0] + list(points) + [x.shape[ax]]
    ret = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        sl = [slice(None)] * x.ndim
        sl[ax] = slice(a, b)
        ret.append(_core.get_item(x, tuple(sl)))
    return ret


def linear(x, W, b=None):
    """``x W^T + b`` with core nodes (x: (N, I), W: (O, I), b: (O,))."""
    y = _core.MatMul().apply((x, _core.transpose(W)))[0]
    if b is not None:
        y = y + _core.broadcast_to(b, y.shape)
    return y


def broadcast_to(x, shape):
    return _core.broadcast_to(x, shape)


def reshape(x, shape):
    return _core.reshape(x, shape)
