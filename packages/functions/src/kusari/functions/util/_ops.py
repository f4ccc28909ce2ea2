"""Small differentiable building blocks shared by the loss, noise, normalization and rnn
families (private).

They depend on kusari's core only, so these families do not depend on the progress of
the activation/math/array families.  Every node's ``backward`` is written with
FunctionNodes (double backprop works) and ``backward_array`` computes the same on
arrays.
"""

from kusari import _core
from kusari import backend
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


def log_softmax_array(x, axis=1):
    xp = backend.get_array_module(x)
    m = x.max(axis=axis, keepdims=True)
    y = x - m
    s = xp.exp(y).sum(axis=axis, keepdims=True)
    y -= xp.log(s)
    return y


# ---- shape -------------------------------------------------------------------------


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


def broadcast_to(x, shape):
    return _core.broadcast_to(x, shape)


def reshape(x, shape):
    return _core.reshape(x, shape)


# ---- the public functions, under the names this module always offered --------------
# (resolved on first use: the families import this module while they are loading)

_PUBLIC = {
    'exp': ('kusari.functions.math.exponential', 'exp'),
    'log': ('kusari.functions.math.exponential', 'log'),
    'tanh': ('kusari.functions.activation.tanh', 'tanh'),
    'sigmoid': ('kusari.functions.activation.sigmoid', 'sigmoid'),
    'softplus': ('kusari.functions.activation.softplus', 'softplus'),
    'relu': ('kusari.functions.activation.relu', 'relu'),
    'sum': ('kusari.functions.math.sum', 'sum'),
    'log_softmax': ('kusari.functions.activation.log_softmax', 'log_softmax'),
    'softmax': ('kusari.functions.activation.softmax', 'softmax'),
    'concat': ('kusari.functions.array.concat', 'concat'),
    'stack': ('kusari.functions.array.stack', 'stack'),
    'linear': ('kusari.functions.connection.linear', 'linear'),
}
_resolved = {}


def _public(name):
    f = _resolved.get(name)
    if f is None:
        import importlib
        module, attr = _PUBLIC[name]
        f = _resolved[name] = getattr(importlib.import_module(module), attr)
    return f


def exp(x):
    return _public('exp')(x)


def log(x):
    return _public('log')(x)


def tanh(x):
    return _public('tanh')(x)


def sigmoid(x):
    return _public('sigmoid')(x)


def softplus(x):
    return _public('softplus')(x)


def relu(x):
    return _public('relu')(x)


def sum(x, axis=None, keepdims=False):
    return _public('sum')(x, axis=axis, keepdims=keepdims)


def log_softmax(x, axis=1):
    return _public('log_softmax')(x, axis=axis)


def softmax(x, axis=1):
    return _public('softmax')(x, axis=axis)


def concat(xs, axis=1):
    return _public('concat')(xs, axis=axis)


def stack(xs, axis=0):
    return _public('stack')(xs, axis=axis)


def linear(x, W, b=None):
    return _public('linear')(x, W, b)


def vjp(fn, inputs, grad_outputs):
    """The gradients of ``fn(*inputs)`` (a tuple of Variables) for ``grad_outputs``.

    The backward of the ``...Grad`` nodes (whose forward is written on arrays): their
    gradients come from the same formula written with differentiable nodes, so
    gradients of any order work.  ``None`` in ``grad_outputs`` means zero.
    """
    import kusari
    inputs = [as_var(x) for x in inputs]
    # a first-order backward runs with backprop off; the formula needs its graph
    with kusari.using_config('enable_backprop', True):
        outs = fn(*inputs)
        pairs = [(y, g) for y, g in zip(outs, grad_outputs) if g is not None]
        if not pairs:
            return (None,) * len(inputs)
        return tuple(kusari.grad([y for y, _ in pairs], inputs, [g for _, g in pairs],
                                 enable_double_backprop=True))
