"""(Weighted) averages: :func:`average` and its alias :func:`mean`."""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util
from kusari.functions.math import sum as _sum_mod

_ndarray = numpy.ndarray
_asarray = numpy.asarray
_add_reduce = numpy.add.reduce
_float16 = numpy.dtype(numpy.float16)
_float32 = numpy.dtype(numpy.float32)
_Reshape = _core.Reshape
_BroadcastTo = _core.BroadcastTo


class Mean(FunctionNode):
    """Mean of array elements over the given axes (unweighted).

    Args:
        axis (None, int or tuple of int): axes to reduce (all when ``None``).
        keepdims (bool): keep the reduced axes with length one.
    """

    def __init__(self, axis=None, keepdims=False):
        self.axis = None if axis is None else _util.normalize_axis('Mean', axis)
        self.keepdims = keepdims
        self.multiplier = 1.0

    def forward(self, inputs):
        x = inputs[0]
        if x.dtype.kind != 'f':
            _util.check_float('Mean', 'x', x)
        axis = self.axis
        if axis is None:
            n = x.size
        else:
            _util.check_axes('Mean', axis, x.ndim)
            n = 1
            shape = x.shape
            for a in axis:
                n *= shape[a]
        self.multiplier = 1.0 / n if n else float('nan')
        if type(x) is not _ndarray:
            return (x.mean(axis=axis, keepdims=self.keepdims),)
        if n == 0:
            with numpy.errstate(invalid='ignore', divide='ignore'):
                return (numpy.asarray(x.mean(axis=axis, keepdims=self.keepdims)),)
        # NumPy's mean (sum, then divide by the count) without its Python overhead;
        # float16 accumulates in float32 as numpy.mean does.
        dt = x.dtype
        if dt == _float16:
            y = _add_reduce(x, axis, _float32, None, self.keepdims) / n
            return (numpy.asarray(y).astype(dt),)
        # the count as a scalar of x's dtype: NumPy 1.x would promote a 0-d result
        # divided by a Python int to float64
        return (_asarray(_add_reduce(x, axis, None, None, self.keepdims) / dt.type(n)),)

    def _gy_shape(self):
        shape = self.inputs[0].shape
        if self.axis is None or self.keepdims or not shape:
            return None
        return _util.keepdims_shape(shape, self.axis)

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0] * self.multiplier
        shape = self.inputs[0].shape
        s = self._gy_shape()
        if s is not None:
            gy = _Reshape(s).apply((gy,))[0]
        if gy.shape == shape:
            return (gy,)
        return (_BroadcastTo(shape).apply((gy,))[0],)

    def backward_array(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        shape = self.inputs[0].shape
        s = self._gy_shape()
        if s is not None:
            gy = gy.reshape(s)
        if type(gy) is _ndarray:
            gx = numpy.empty(shape, gy.dtype)
            gx[...] = gy
            gx *= gx.dtype.type(self.multiplier)
            return (gx,)
        xp = _core.get_array_module(gy)
        return (xp.broadcast_to(gy * gy.dtype.type(self.multiplier), shape).copy(),)


def average(x, axis=None, weights=None, keepdims=False):
    """Weighted average of array elements over a given axis.

    Args:
        x (Variable or array): float array of any shape.
        axis (None, int or tuple of int): axes along which to average (all when
            ``None``).  With ``weights``, a tuple of more than one axis is not allowed.
        weights (None, Variable or array): weights of the elements.  ``None`` means
            all ones.  When ``axis`` is ``None`` it must have the shape of ``x``; when
            ``axis`` is an int it must be 1-D of shape ``(x.shape[axis],)``.
        keepdims (bool): keep the reduced axes with length one.

    Returns:
        Variable: :math:`\\sum_i w_i x_i / \\sum_i w_i` over the reduced axes.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 2.], [3., 6.]], numpy.float32)
    >>> F.average(x, axis=0).array
    array([2., 4.], dtype=float32)
    >>> F.average(x, axis=1, weights=numpy.array([1., 3.], numpy.float32)).array
    array([1.75, 5.25], dtype=float32)
    """
    if weights is None:
        return Mean(axis, keepdims).apply((x,))[0]
    x = _util.as_variable(x)
    weights = _util.as_variable(weights)
    _util.check_float('average', 'x', x.array)
    _util.check_same_dtype('average', ('x', 'weights'), (x.array, weights.array))
    ndim = x.ndim
    if axis is None:
        _util.check_same_shape('average', ('x', 'weights'), (x.array, weights.array))
    else:
        axes = _util.normalize_axis('average', axis)
        _util.check_axes('average', axes, ndim)
        if len(axes) > 1:
            raise ValueError('average: tuple axis is not supported when weights is given')
        a = axes[0] + ndim if axes[0] < 0 else axes[0]
        if weights.shape != (x.shape[a],):
            raise _util.invalid('average', 'weights.shape == (x.shape[axis],)',
                                '%s != %s' % (weights.shape, (x.shape[a],)))
        axis = a
    divider = _sum_mod.sum(weights)
    if axis is not None:
        w_shape = [d if i == axis else 1 for i, d in enumerate(x.shape)]
        weights = _util.broadcast_to(_util.reshape(weights, w_shape), x.shape)
    x_sum = _sum_mod.sum(x * weights, axis, keepdims)
    return x_sum / _util.broadcast_to(divider, x_sum.shape)


def mean(x, axis=None, weights=None, keepdims=False):
    """Mean of array elements over a given axis (same as :func:`average`).

    Args:
        x (Variable or array): float array of any shape.
        axis (None, int or tuple of int): axes along which to average (all when
            ``None``).
        weights (None, Variable or array): optional weights, as in :func:`average`.
        keepdims (bool): keep the reduced axes with length one.

    Returns:
        Variable: the (weighted) means.

    >>> import numpy, kusari.functions as F
    >>> F.mean(numpy.array([1., 2., 6.], numpy.float32)).array
    array(3., dtype=float32)
    """
    if weights is None:
        return Mean(axis, keepdims).apply((x,))[0]
    return average(x, axis, weights, keepdims)

