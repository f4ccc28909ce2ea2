"""Private helpers of the math family: argument checks, lazy SciPy, tiny graph nodes.

Everything here depends on kusari's core only.
"""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari._core import Variable
from kusari.utils import type_check

as_variable = _core.as_variable
_ndarray = numpy.ndarray


def invalid(func, expect, actual):
    """An :class:`~kusari.utils.type_check.InvalidType` whose message names ``func``."""
    return type_check.InvalidType(
        expect, actual,
        msg='Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
        % (func, expect, actual))


def check_float(func, name, a):
    """Raise InvalidType unless ``a`` (an array) has a floating dtype."""
    if a.dtype.kind != 'f':
        raise invalid(func, '%s.dtype.kind == f' % name, '%s != f' % a.dtype.kind)


def check_same_dtype(func, names, arrays):
    """Raise InvalidType unless every array has the dtype of the first one."""
    d0 = arrays[0].dtype
    for n, a in zip(names[1:], arrays[1:]):
        if a.dtype != d0:
            raise invalid(func, '%s.dtype == %s.dtype' % (names[0], n),
                          '%s != %s' % (d0, a.dtype))


def promote(*xs):
    """Cast Variables of different float dtypes to their common (NumPy) dtype.

    Chainer's products accept mixed float inputs and compute in the promoted dtype
    (``float16 x float32 -> float32``); a :func:`~kusari.functions.cast` node sends
    each gradient back in its input's dtype.  Inputs of one dtype are returned as they
    are (no node is added).
    """
    dtypes = {x.dtype for x in xs}
    if len(dtypes) == 1:
        return xs
    from kusari.functions.array.cast import cast
    dtype = numpy.result_type(*dtypes)
    return tuple(x if x.dtype == dtype else cast(x, dtype) for x in xs)


def check_same_shape(func, names, arrays):
    """Raise InvalidType unless every array has the shape of the first one."""
    s0 = arrays[0].shape
    for n, a in zip(names[1:], arrays[1:]):
        if a.shape != s0:
            raise invalid(func, '%s.shape == %s.shape' % (names[0], n),
                          '%s != %s' % (s0, a.shape))


def check_ndim(func, name, a, ndim):
    """Raise InvalidType unless ``a.ndim == ndim``."""
    if a.ndim != ndim:
        raise invalid(func, '%s.ndim == %d' % (name, ndim), '%d != %d' % (a.ndim, ndim))


def array_of(x):
    """The array of a Variable, or ``x`` itself."""
    return x.array if isinstance(x, Variable) else x


def normalize_axis(func, axis):
    """``None``, an int or a tuple of ints -> ``None`` or a tuple of ints.

    Raises TypeError for other types and ValueError for duplicates (as Chainer).
    """
    if axis is None:
        return None
    if isinstance(axis, (int, numpy.integer)) and not isinstance(axis, bool):
        return (int(axis),)
    if isinstance(axis, tuple) and all(
            isinstance(a, (int, numpy.integer)) and not isinstance(a, bool) for a in axis):
        axis = tuple(int(a) for a in axis)
        if len(set(axis)) != len(axis):
            raise ValueError('%s: duplicate value in axis: (%s)'
                             % (func, ', '.join(map(str, axis))))
        return axis
    raise TypeError('%s: None, int or tuple of int are required for axis, got %r'
                    % (func, axis))


def check_axes(func, axis, ndim):
    """Raise InvalidType if an entry of ``axis`` (tuple or None) is out of range."""
    if axis is None:
        return
    for a in axis:
        if a >= 0:
            if a >= ndim:
                raise invalid(func, 'axis < x.ndim', '%d >= %d' % (a, ndim))
        elif -a - 1 >= ndim:
            raise invalid(func, '-axis - 1 < x.ndim', '%d >= %d' % (-a - 1, ndim))


def keepdims_shape(shape, axis):
    """``shape`` with the reduced axes (tuple or None) kept as 1."""
    ndim = len(shape)
    if axis is None:
        return (1,) * ndim
    red = [a + ndim if a < 0 else a for a in axis]
    return tuple([1 if i in red else s for i, s in enumerate(shape)])


def force_array(y, xp, dtype=None):
    """Turn a NumPy scalar (what reductions of 0-dim arrays return) into an array."""
    if xp is numpy and type(y) is not _ndarray:
        y = numpy.asarray(y)
    if dtype is not None and y.dtype != dtype:
        y = y.astype(dtype)
    return y


def swap_last(x):
    """Swap the last two axes of a Variable (identity for ``ndim < 2``)."""
    nd = x.ndim
    if nd < 2:
        return x
    axes = list(range(nd))
    axes[-1], axes[-2] = axes[-2], axes[-1]
    return _core.Transpose(tuple(axes)).apply((x,))[0]


def reshape(x, shape):
    """Differentiable reshape (core's node)."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return _core.Reshape(shape).apply((x,))[0]


def broadcast_to(x, shape):
    """Differentiable broadcast (core's node)."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    return _core.BroadcastTo(shape).apply((x,))[0]


def const(x):
    """A Variable that holds ``x`` and needs no gradient."""
    return _core.Variable(x, requires_grad=False)


# ---- SciPy (optional) ------------------------------------------------------------------

_scipy_special = None


def special_module(xp, func):
    """``scipy.special`` for NumPy arrays, ``cupyx.scipy.special`` for CuPy arrays.

    SciPy is optional: without it, raise an ImportError that says how to install it.
    """
    global _scipy_special
    if xp is numpy:
        if _scipy_special is None:
            try:
                from scipy import special
            except ImportError:
                raise ImportError(
                    "%s needs SciPy, which is not installed. Install it with: "
                    "pip install 'kusari-functions[special]'" % func) from None
            _scipy_special = special
        return _scipy_special
    import cupyx.scipy.special
    return cupyx.scipy.special


# ---- a few elementwise nodes the math family needs for double backprop -------------------


class Exp(FunctionNode):
    """``exp(x)`` (private; the public ``exp`` lives in the elementwise family)."""

    def forward(self, inputs):
        x, = inputs
        xp = _core.get_array_module(x)
        self.retain_outputs((0,))
        return force_array(xp.exp(x), xp),

    def backward(self, indexes, gy):
        y, = self.get_retained_outputs()
        return gy[0] * y,

    def backward_array(self, indexes, gy):
        return gy[0] * self.get_retained_output_arrays()[0],


def exp(x):
    """Differentiable ``exp`` on a Variable."""
    return Exp().apply((x,))[0]

