"""Helpers shared by the activation and elementwise math functions (not public API)."""
import numpy

from kusari.utils import type_check

_ndarray = numpy.ndarray
_generic = numpy.generic


def invalid(name, expect, actual):
    """Return the :class:`~kusari.utils.type_check.InvalidType` of a failed check.

    The message has the form of the type checks of :class:`kusari.FunctionNode`::

        Invalid operation is performed in: <name> (Forward)

        Expect: <expect>
        Actual: <actual>
    """
    msg = ('Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
           % (name, expect, actual))
    return type_check.InvalidType(expect, actual, msg=msg)


def check_float(name, x, argname='x'):
    """Raise InvalidType naming ``name`` unless the array ``x`` has a float dtype."""
    if x.dtype.kind != 'f':
        raise invalid(name, '%s.dtype.kind == f' % argname,
                      '%s != f' % x.dtype.kind)


def check_same_dtype(name, a, b, names=('x1', 'x2')):
    """Raise InvalidType unless ``a`` and ``b`` have one dtype."""
    if a.dtype != b.dtype:
        raise invalid(name, '%s.dtype == %s.dtype' % names,
                      '%s != %s' % (a.dtype, b.dtype))


def check_same_shape(name, a, b, names=('x1', 'x2')):
    """Raise InvalidType unless ``a`` and ``b`` have one shape."""
    if a.shape != b.shape:
        raise invalid(name, '%s.shape == %s.shape' % names,
                      '%s != %s' % (a.shape, b.shape))


def force_array(y, dtype=None):
    """Turn a NumPy scalar (what ufuncs return for 0-dim input) into a 0-dim array."""
    if isinstance(y, _generic):
        y = numpy.asarray(y)
    if dtype is not None and y.dtype != dtype:
        y = y.astype(dtype)
    return y


def normalize_axis(name, axis, ndim):
    """Return ``axis`` in ``[0, ndim)``; raise InvalidType if it is out of range."""
    if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
        raise TypeError('%s: axis must be an int, got %s' % (name, type(axis).__name__))
    if not -ndim <= axis < ndim:
        raise invalid(name, '-x.ndim <= axis < x.ndim',
                      'axis == %d, x.ndim == %d' % (axis, ndim))
    return int(axis) % ndim


def extended_shape(w_shape, x_ndim):
    """Shape that places a parameter of ``w_shape`` on the axes 1.. of an x of ndim."""
    return (1,) + tuple(w_shape) + (1,) * (x_ndim - len(w_shape) - 1)


def reduction_axes(w_ndim, x_ndim):
    """The axes of x that a parameter placed on axes 1..w_ndim is broadcast over."""
    return (0,) + tuple(range(1 + w_ndim, x_ndim))
