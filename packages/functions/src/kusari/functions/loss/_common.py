"""Shared input checks of the loss family (private)."""
from kusari.functions.util import _ops


def arrays(*xs):
    """The arrays of Variables/arrays."""
    return tuple(_ops.array_of(x) for x in xs)


def check_float_same(func, names, arrs, same_shape=True):
    """Check float dtypes, equal dtypes and (optionally) equal shapes."""
    for n, a in zip(names, arrs):
        _ops.check_float(func, n, a)
    _ops.check_same_dtype(func, names, arrs)
    if same_shape:
        _ops.check_same_shape(func, names, arrs)


def check_reduce(func, reduce, allowed):
    if reduce not in allowed:
        raise ValueError("%s: only %s are valid for 'reduce', but '%s' is given"
                         % (func, ' and '.join(repr(a) for a in allowed), reduce))
