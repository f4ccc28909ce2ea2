"""Logarithm of softmax over an axis."""
import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

# CPU: over the last axis of a C-contiguous array one Cython kernel computes
# ``x - max - log(sum(exp(x - max)))`` row by row (NumPy: six passes with
# temporaries); its gradient ``gy - exp(y) * sum(gy)`` likewise.
_log_softmax_grad_gpu = cuda.elementwise(
    'T y, T gy, T s', 'T gx', 'gx = gy - exp(y) * s', 'kusari_log_softmax_grad')


def _log_softmax_array(x, axis):
    if isinstance(x, numpy.ndarray) and axis == x.ndim - 1:
        y = _kernels.softmax_last_axis(x, True)
        if y is not None:
            return y
    xp = backend.get_array_module(x)
    y = x - x.max(axis=axis, keepdims=True)
    lse = xp.log(xp.exp(y).sum(axis=axis, keepdims=True))
    y -= lse
    return _common.force_array(y, x.dtype)


def _log_softmax_grad_array(y, gy, axis):
    if isinstance(y, numpy.ndarray):
        if axis == y.ndim - 1:
            gx = _kernels.softmax_grad_last_axis(y, gy, True)
            if gx is not None:
                return gx
        gx = gy - numpy.exp(y) * gy.sum(axis=axis, keepdims=True)
        return _common.force_array(gx, y.dtype)
    return _log_softmax_grad_gpu(y, gy, gy.sum(axis=axis, keepdims=True))


class _Exp(function_node.FunctionNode):
    """``exp(x)`` (used by the second derivative of log-softmax)."""

    def forward(self, inputs):
        x, = inputs
        self.retain_outputs((0,))
        return _common.force_array(backend.get_array_module(x).exp(x), x.dtype),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return grad_outputs[0] * y,


class LogSoftmax(function_node.FunctionNode):
    """Log-softmax over ``axis``; keeps only its output for backward."""

    def __init__(self, axis=1):
        self.axis = axis

    @property
    def label(self):
        return 'LogSoftmax'

    def forward(self, inputs):
        x, = inputs
        _common.check_float('LogSoftmax', x)
        self._ax = _common.normalize_axis('LogSoftmax', self.axis, x.ndim)
        self.retain_outputs((0,))
        return _log_softmax_array(x, self._ax),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return _LogSoftmaxGrad(self._ax).apply((y, grad_outputs[0]))

    def backward_array(self, indexes, grad_outputs):
        return _log_softmax_grad_array(self.output_data()[0], grad_outputs[0],
                                       self._ax),


class _LogSoftmaxGrad(function_node.FunctionNode):
    """``gx = gy - exp(y) * sum(gy, axis)`` from ``(y, gy)``."""

    def __init__(self, axis):
        self.axis = axis

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        return _log_softmax_grad_array(y, gy, self.axis),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        kshape = list(y.shape)
        kshape[self.axis] = 1
        kshape = tuple(kshape)
        p = _Exp().apply((y,))[0]
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(-(ggx * p) * _core.sum_to(gy, kshape))
            else:
                ret.append(ggx - _core.sum_to(ggx * p, kshape))
        return tuple(ret)


def log_softmax(x, axis=1):
    """Channel-wise log-softmax function.

    .. math:: y_i = x_i - \\log \\sum_j \\exp(x_j),

    the sum running over ``axis``; computed stably (no overflow for large inputs),
    which is more accurate than ``log(softmax(x))``.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of shape :math:`(s_1, ..., s_N)`, float.
        axis (int): The axis along which the log-softmax is taken.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.log_softmax(numpy.array([[0., 1., 2.]])).array
    array([[-2.40760596, -1.40760596, -0.40760596]])
    """
    return LogSoftmax(axis=axis).apply((x,))[0]
