"""Helpers shared by the array functions (private).

Everything here works on plain arrays (NumPy or CuPy) or on argument values; nothing
records a graph.
"""
import numpy

from kusari import _core
from kusari.utils import type_check


def invalid(func, expect, actual):
    """Raise :class:`~kusari.utils.type_check.InvalidType` in Chainer's format.

    Args:
        func (str): the function (or FunctionNode label) that refuses its input.
        expect (str): the condition that should hold.
        actual (str): what was found instead.
    """
    raise type_check.InvalidType(
        expect, actual,
        msg='Invalid operation is performed in: %s (Forward)\n\nExpect: %s\nActual: %s'
        % (func, expect, actual))


def as_array(x):
    """The array of a Variable, or ``x`` itself."""
    if isinstance(x, _core.Variable):
        return x.array
    return x


def is_int(v):
    """True for Python and NumPy integers (but not bools)."""
    return isinstance(v, (int, numpy.integer)) and not isinstance(v, (bool, numpy.bool_))


def normalize_axis(func, axis, ndim, name='axis', extra=0):
    """Check that ``axis`` is an int in ``[-(ndim + extra), ndim + extra)`` and make it
    non-negative.

    ``extra=1`` is for functions that insert an axis (``expand_dims``, ``stack``).
    """
    if not is_int(axis):
        invalid(func, '%s is an int' % name, '%s is %r' % (name, axis))
    n = ndim + extra
    if not -n <= axis < n:
        invalid(func, '-%d <= %s < %d' % (n, name, n),
                '%s == %d (ndim == %d)' % (name, axis, ndim))
    return int(axis) % n if n else 0


def sum_to_array(x, shape):
    """Sum ``x`` over its broadcast axes so that the result has ``shape``."""
    shape = tuple(shape)
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and x.shape[lead + i] != 1)
    y = x.sum(axis=axes, keepdims=True) if axes else x
    if lead:
        y = y.reshape(shape)
    return y


def scatter_add(target, slices, values):
    """``target[slices] += values`` in place, adding duplicates (NumPy or CuPy)."""
    if isinstance(target, numpy.ndarray):
        numpy.add.at(target, slices, values)
    else:
        import cupyx
        cupyx.scatter_add(target, slices, values)


def flat_bincount(xp, index, weights, size, dtype):
    """``out[k] = sum(weights[index == k])`` for a flat ``out`` of ``size`` elements.

    The sum is accumulated in float64 and cast to ``dtype``.
    """
    out = xp.bincount(index.ravel(), weights=weights.ravel().astype(numpy.float64),
                      minlength=size)
    return out[:size].astype(dtype, copy=False)


def normalize_slices(slices):
    """Chainer's normalization of an index: a list of ints is one integer array, other
    lists become tuples, Variables are replaced by their arrays."""
    if isinstance(slices, list):
        if slices and all(isinstance(s, (bool, numpy.bool_)) for s in slices):
            return (numpy.asarray(slices, dtype=bool),)
        if all(is_int(s) for s in slices):
            return (numpy.asarray(slices, dtype=numpy.intp),)
        slices = tuple(slices)
    elif not isinstance(slices, tuple):
        slices = (slices,)
    return tuple(as_array(s) for s in slices)
