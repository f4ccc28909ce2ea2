"""Logistic sigmoid activation."""
import numpy

from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

_ndarray = numpy.ndarray

# CPU: the Cython loop computes ``tanh(x/2)/2 + 1/2`` in one pass, which beats the
# four NumPy passes for small arrays; for large ones NumPy's vectorised tanh wins
# (timeit: 2000 float32: 50 us Cython vs 15 us NumPy), so large inputs use NumPy in
# place.  The gradient ``gy * y * (1 - y)`` is one Cython pass (faster at all sizes).
_CYTHON_FORWARD_MAX = 1024

_sigmoid_fwd_gpu = cuda.elementwise(
    'T x', 'T y', 'y = tanh(x * (T)0.5) * (T)0.5 + (T)0.5', 'kusari_sigmoid_fwd')
_sigmoid_grad_gpu = cuda.elementwise(
    'T y, T gy', 'T gx', 'gx = gy * y * ((T)1 - y)', 'kusari_sigmoid_grad')


def _sigmoid_array(x):
    if type(x) is _ndarray:
        y = None
        if x.size <= _CYTHON_FORWARD_MAX:
            y = _kernels.sigmoid_forward(x)
        if y is None:
            half = x.dtype.type(0.5)
            y = _common.force_array(numpy.multiply(x, half))
            numpy.tanh(y, out=y)
            y *= half
            y += half
        return y
    return _sigmoid_fwd_gpu(x)


def _sigmoid_grad_array(y, gy):
    if type(y) is _ndarray:
        gx = _kernels.sigmoid_grad(y, gy)
        if gx is None:
            gx = _common.force_array(gy * y * (y.dtype.type(1) - y), y.dtype)
        return gx
    return _sigmoid_grad_gpu(y, gy)


class Sigmoid(function_node.FunctionNode):
    """Elementwise logistic sigmoid; keeps only its output for backward."""

    @property
    def label(self):
        return 'Sigmoid'

    def forward(self, inputs):
        x = inputs[0]
        if x.dtype.kind != 'f':
            raise _common.invalid('Sigmoid', 'x.dtype.kind == f',
                                  '%s != f' % x.dtype.kind)
        self.retain_outputs((0,))
        return _sigmoid_array(x),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return SigmoidGrad().apply((y, grad_outputs[0]))

    def backward_array(self, indexes, grad_outputs):
        return _sigmoid_grad_array(self.output_data()[0], grad_outputs[0]),


class SigmoidGrad(function_node.FunctionNode):
    """``gx = gy * y * (1 - y)`` from ``(y, gy)``, itself differentiable."""

    @property
    def label(self):
        return 'SigmoidGrad'

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        return _sigmoid_grad_array(y, gy),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(ggx * gy * (1.0 - 2.0 * y))
            else:
                ret.append(SigmoidGrad().apply((y, ggx))[0])
        return tuple(ret)


def sigmoid(x):
    """Elementwise sigmoid (logistic) function.

    .. math:: y_i = \\frac{1}{1 + \\exp(-x_i)},

    computed as ``tanh(x / 2) / 2 + 1 / 2``, which does not overflow.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.sigmoid(numpy.array([-2., 0., 2.])).array
    array([0.11920292, 0.5       , 0.88079708])
    """
    return Sigmoid().apply((x,))[0]
