"""Sum of array elements (:func:`sum`) and :func:`sum_to` (core's node)."""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari._core import sum_to  # noqa: F401  (re-exported: kusari.functions.sum_to)
from kusari.functions.math import _util

_ndarray = numpy.ndarray
_asarray = numpy.asarray
_add_reduce = numpy.add.reduce
_Reshape = _core.Reshape
_BroadcastTo = _core.BroadcastTo


class Sum(FunctionNode):
    """Sum of array elements over the given axes.

    Args:
        axis (None, int or tuple of int): axes to reduce (all when ``None``).
        keepdims (bool): keep the reduced axes with length one.
    """

    def __init__(self, axis=None, keepdims=False):
        self.axis = None if axis is None else _util.normalize_axis('Sum', axis)
        self.keepdims = keepdims

    # Checked in forward (cheaper than check_type_forward: Sum is on every loss path).
    def forward(self, inputs):
        x = inputs[0]
        if x.dtype.kind != 'f':
            _util.check_float('Sum', 'x', x)
        axis = self.axis
        if axis is not None:
            _util.check_axes('Sum', axis, x.ndim)
        if type(x) is _ndarray:
            return (_asarray(_add_reduce(x, axis, None, None, self.keepdims)),)
        return (x.sum(axis=axis, keepdims=self.keepdims),)

    def _gy_shape(self):
        shape = self.inputs[0].shape
        if self.axis is None or self.keepdims or not shape:
            return None
        return _util.keepdims_shape(shape, self.axis)

    def backward(self, indexes, grad_outputs):
        gy = grad_outputs[0]
        shape = self.inputs[0].shape
        s = self._gy_shape()
        if s is not None and gy.shape != s:
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
        # A materialized (writable) gradient: it may end up as a leaf's ``grad``.
        if type(gy) is _ndarray:
            gx = numpy.empty(shape, gy.dtype)
            gx[...] = gy
            return (gx,)
        xp = _core.get_array_module(gy)
        return (xp.broadcast_to(gy, shape).copy(),)


def sum(x, axis=None, keepdims=False):
    """Sum of array elements over a given axis.

    Args:
        x (Variable or array): elements to sum, a float array of any shape
            :math:`(s_1, \\ldots, s_N)`.
        axis (None, int or tuple of int): axes along which the sum is taken; the
            default ``None`` sums over all axes.  Negative values count from the end.
        keepdims (bool): if ``True``, the reduced axes are kept with length one.

    Returns:
        Variable: the sums, of shape ``x.shape`` without (or with length one at) the
        reduced axes.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    >>> F.sum(x).array
    array(15., dtype=float32)
    >>> F.sum(x, axis=1).array
    array([ 3., 12.], dtype=float32)
    >>> F.sum(x, keepdims=True).shape
    (1, 1)
    """
    return Sum(axis, keepdims).apply((x,))[0]
