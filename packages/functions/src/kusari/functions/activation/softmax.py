"""Softmax over an axis."""
import numpy

from kusari import _core
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

# CPU: over the last axis of a C-contiguous array, the Cython kernel does max, exp,
# sum and scale row by row in cache (NumPy: five passes over the whole array with
# temporaries); other axes use NumPy.  The gradient ``y * (gy - sum(y * gy))`` is
# likewise one kernel over the last axis.
_softmax_exp_gpu = cuda.elementwise(
    'T x, T m', 'T e', 'e = exp(x - m)', 'kusari_softmax_exp')
_softmax_grad_gpu = cuda.elementwise(
    'T y, T gy, T s', 'T gx', 'gx = y * (gy - s)', 'kusari_softmax_grad')


def _softmax_array(x, axis):
    if isinstance(x, numpy.ndarray):
        if axis == x.ndim - 1:
            y = _kernels.softmax_last_axis(x, False)
            if y is not None:
                return y
        y = x - x.max(axis=axis, keepdims=True)
        numpy.exp(y, out=y)
        y /= y.sum(axis=axis, keepdims=True)
        return _common.force_array(y, x.dtype)
    e = _softmax_exp_gpu(x, x.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def _softmax_grad_array(y, gy, axis):
    if isinstance(y, numpy.ndarray):
        if axis == y.ndim - 1:
            gx = _kernels.softmax_grad_last_axis(y, gy, False)
            if gx is not None:
                return gx
        gx = y * gy
        s = gx.sum(axis=axis, keepdims=True)
        gx -= y * s
        return _common.force_array(gx, y.dtype)
    s = (y * gy).sum(axis=axis, keepdims=True)
    return _softmax_grad_gpu(y, gy, s)


class Softmax(function_node.FunctionNode):
    """Softmax over ``axis``; keeps only its output for backward."""

    def __init__(self, axis=1):
        self.axis = axis

    @property
    def label(self):
        return 'Softmax'

    def forward(self, inputs):
        x, = inputs
        _common.check_float('Softmax', x)
        self._ax = _common.normalize_axis('Softmax', self.axis, x.ndim)
        self.retain_outputs((0,))
        return _softmax_array(x, self._ax),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return _SoftmaxGrad(self._ax).apply((y, grad_outputs[0]))

    def backward_array(self, indexes, grad_outputs):
        return _softmax_grad_array(self.output_data()[0], grad_outputs[0], self._ax),


class _SoftmaxGrad(function_node.FunctionNode):
    """``gx = y * (gy - sum(y * gy, axis))`` from ``(y, gy)``."""

    def __init__(self, axis):
        self.axis = axis

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        return _softmax_grad_array(y, gy, self.axis),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        kshape = list(y.shape)
        kshape[self.axis] = 1
        kshape = tuple(kshape)
        ret = []
        for i in indexes:
            if i == 0:
                # d/dy_k: ggx_k (gy_k - s) - gy_k sum_i(ggx_i y_i)
                s = _core.sum_to(y * gy, kshape)
                t = _core.sum_to(ggx * y, kshape)
                ret.append(ggx * (gy - s) - gy * t)
            else:
                ret.append(_SoftmaxGrad(self.axis).apply((y, ggx))[0])
        return tuple(ret)


def softmax(x, axis=1):
    """Softmax function.

    .. math:: y_i = \\frac{\\exp(x_i)}{\\sum_j \\exp(x_j)},

    the sum running over ``axis``.  The maximum is subtracted first, so large
    inputs do not overflow.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of shape :math:`(s_1, ..., s_N)`, float.
        axis (int): The axis along which the softmax is taken.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.softmax(numpy.array([[0., 1., 2.], [0., 0., 0.]])).array
    array([[0.09003057, 0.24472847, 0.66524096],
           [0.33333333, 0.33333333, 0.33333333]])
    """
    return Softmax(axis=axis).apply((x,))[0]
