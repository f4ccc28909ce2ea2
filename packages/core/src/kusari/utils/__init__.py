"""Small utilities shared by kusari's packages (Chainer's ``chainer.utils``)."""
from pkgutil import extend_path as _extend_path

__path__ = _extend_path(__path__, __name__)

import numpy  # noqa: E402

from kusari.utils import argument  # noqa: E402,F401
from kusari.utils import conv  # noqa: E402,F401
from kusari.utils import type_check  # noqa: E402,F401
from kusari.utils.sparse import CooMatrix, get_order, to_coo  # noqa: E402,F401
from kusari.utils.walker_alias import WalkerAlias  # noqa: E402,F401
from kusari.utils.experimental import experimental  # noqa: E402,F401
from kusari.utils.tempdir import tempdir  # noqa: E402,F401
import collections.abc as collections_abc  # noqa: E402,F401  (Chainer's name for it)


def force_array(x, dtype=None):
    """Return ``x`` as an array: NumPy scalars (which ufuncs return for 0-d input) become
    0-d arrays, optionally cast to ``dtype``."""
    if numpy.isscalar(x):
        if dtype is None:
            return numpy.array(x)
        return numpy.array(x, dtype)
    if dtype is None:
        return x
    return x.astype(dtype, copy=False)


def force_type(dtype, value):
    """Cast a scalar or array ``value`` to ``dtype`` (scalars become NumPy scalars)."""
    if numpy.isscalar(value):
        return dtype.type(value)
    if value.dtype != dtype:
        return value.astype(dtype, copy=False)
    return value


def size_of_shape(shape):
    """The number of elements of an array of ``shape`` (1 for ``()``)."""
    size = 1
    for s in shape:
        size *= s
    return int(size)


def sum_to(x, shape):
    """Sum the array ``x`` over broadcast axes so that the result has ``shape``."""
    if x.shape == tuple(shape):
        return x
    ndim = len(shape)
    lead = x.ndim - ndim
    axes = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and x.shape[i + lead] != 1)
    y = x.sum(axis=axes, keepdims=True)
    if lead:
        y = y.reshape(shape)
    return y
