"""Product of array elements over axes: :func:`prod`."""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util
from kusari.functions.math import cumulative


def _layout(shape, axis):
    """Axes moved to the front, their element count, and the permutation."""
    ndim = len(shape)
    if axis is None:
        axes = tuple(range(ndim))
    else:
        axes = tuple(sorted(a + ndim if a < 0 else a for a in axis))
    kept = tuple(a for a in range(ndim) if a not in axes)
    n = 1
    for a in axes:
        n *= shape[a]
    perm = axes + kept
    return perm, n, tuple(shape[a] for a in kept)


class Prod(FunctionNode):
    """Product over the given axes.

    The gradient, ``prod`` of all the other reduced elements, is computed with
    exclusive cumulative products from both ends, so it is exact where ``x`` has zeros.

    Args:
        axis (None, int or tuple of int): axes to reduce (all when ``None``).
        keepdims (bool): keep the reduced axes with length one.
    """

    def __init__(self, axis=None, keepdims=False):
        self.axis = _util.normalize_axis('Prod', axis)
        self.keepdims = keepdims

    def forward(self, inputs):
        x, = inputs
        _util.check_float('Prod', 'x', x)
        _util.check_axes('Prod', self.axis, x.ndim)
        self.retain_inputs((0,))
        xp = _core.get_array_module(x)
        return _util.force_array(x.prod(axis=self.axis, keepdims=self.keepdims), xp),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        gy, = grad_outputs
        shape = x.shape
        perm, n, kept_shape = _layout(shape, self.axis)
        xp = _core.get_array_module(x.array)
        if n == 0:
            return _util.const(xp.zeros(shape, x.dtype)),
        xt = _util.reshape(_core.Transpose(perm).apply((x,))[0], (n,) + kept_shape)
        t_shape = (n,) + kept_shape
        e_first = cumulative.one_hot_along(t_shape, x.dtype, 0, 0, xp)
        e_last = cumulative.one_hot_along(t_shape, x.dtype, 0, n - 1, xp)
        left = cumulative.linear_recurrence(cumulative.shift(xt, 0, 1), e_first, 0)
        right = cumulative.linear_recurrence(cumulative.shift(xt, 0, -1), e_last, 0,
                                             reverse=True)
        g = _util.reshape(left * right, tuple(shape[a] for a in perm))
        g = _core.Transpose(tuple(numpy.argsort(perm).tolist())).apply((g,))[0]
        gy = _util.reshape(gy, _util.keepdims_shape(shape, self.axis))
        return g * _util.broadcast_to(gy, shape),

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        gy, = grad_outputs
        shape = x.shape
        perm, n, kept_shape = _layout(shape, self.axis)
        xp = _core.get_array_module(x)
        if n == 0:
            return xp.zeros(shape, x.dtype),
        xt = x.transpose(perm).reshape((n,) + kept_shape)
        t_shape = (n,) + kept_shape
        e_first = cumulative.one_hot_along(t_shape, x.dtype, 0, 0, xp)
        e_last = cumulative.one_hot_along(t_shape, x.dtype, 0, n - 1, xp)
        left = cumulative._linrec_array(cumulative._shift_array(xt, 0, 1), e_first, 0,
                                        False)
        right = cumulative._linrec_array(cumulative._shift_array(xt, 0, -1), e_last, 0,
                                         True)
        g = (left * right).reshape(tuple(shape[a] for a in perm))
        g = g.transpose(tuple(numpy.argsort(perm).tolist()))
        return g * gy.reshape(_util.keepdims_shape(shape, self.axis)),


def prod(x, axis=None, keepdims=False):
    """Product of array elements over a given axis.

    Args:
        x (Variable or array): float array of any shape.
        axis (None, int or tuple of int): axes to multiply over (all when ``None``).
        keepdims (bool): keep the reduced axes with length one.

    Returns:
        Variable: the products.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 2.], [3., 4.]], numpy.float32)
    >>> F.prod(x).array
    array(24., dtype=float32)
    >>> F.prod(x, axis=1).array
    array([ 2., 12.], dtype=float32)
    """
    return Prod(axis, keepdims).apply((x,))[0]
