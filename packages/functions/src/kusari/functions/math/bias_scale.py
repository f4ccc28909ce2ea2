"""Broadcasting add and multiply along an axis: :func:`bias` and :func:`scale`."""
from kusari.functions.math import _util
from kusari.utils import type_check


class _ShapeMismatch(type_check.InvalidType, AssertionError):
    """``y``'s shape does not fit ``x`` at ``axis``: an InvalidType, and the
    AssertionError that Chainer's ``bias``/``scale`` raise there (they assert)."""


def _expand(func, x, y, axis):
    x = _util.as_variable(x)
    y = _util.as_variable(y)
    xa, ya = x.array, y.array
    _util.check_float(func, 'x', xa)
    _util.check_same_dtype(func, ('x', 'y'), (xa, ya))
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError('%s: axis must be an int, got %r' % (func, axis))
    if axis < 0 or axis + ya.ndim > xa.ndim:
        raise _util.invalid(func, '0 <= axis and axis + y.ndim <= x.ndim',
                            'axis == %d, y.ndim == %d, x.ndim == %d'
                            % (axis, ya.ndim, xa.ndim))
    if xa.shape[axis:axis + ya.ndim] != ya.shape:
        e = _util.invalid(func, 'x.shape[axis:axis + y.ndim] == y.shape',
                          '%s != %s' % (xa.shape[axis:axis + ya.ndim], ya.shape))
        raise _ShapeMismatch(e.expect, e.actual, msg=str(e))
    shape = (1,) * axis + ya.shape + (1,) * (xa.ndim - axis - ya.ndim)
    return x, _util.broadcast_to(_util.reshape(y, shape), xa.shape)


def bias(x, y, axis=1):
    """Elementwise sum of ``x`` and ``y`` broadcast along the axes of ``x`` from ``axis``.

    Args:
        x (Variable or array): float array of any shape.
        y (Variable or array): array of the dtype of ``x`` whose shape equals
            ``x.shape[axis:axis + y.ndim]``.
        axis (int): the first axis of ``x`` that ``y``'s axes match.

    Returns:
        Variable: ``x + y`` (with ``y`` broadcast), of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.zeros((2, 3, 2), numpy.float32)
    >>> y = numpy.array([1., 2., 3.], numpy.float32)
    >>> F.bias(x, y, axis=1).array[0]
    array([[1., 1.],
           [2., 2.],
           [3., 3.]], dtype=float32)
    """
    x, y = _expand('bias', x, y, axis)
    return x + y


def scale(x, y, axis=1):
    """Elementwise product of ``x`` and ``y`` broadcast along the axes of ``x`` from ``axis``.

    Args:
        x (Variable or array): float array of any shape.
        y (Variable or array): array of the dtype of ``x`` whose shape equals
            ``x.shape[axis:axis + y.ndim]``.
        axis (int): the first axis of ``x`` that ``y``'s axes match.

    Returns:
        Variable: ``x * y`` (with ``y`` broadcast), of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.ones((2, 3), numpy.float32)
    >>> y = numpy.array([1., 2., 3.], numpy.float32)
    >>> F.scale(x, y).array
    array([[1., 2., 3.],
           [1., 2., 3.]], dtype=float32)
    """
    x, y = _expand('scale', x, y, axis)
    return x * y
