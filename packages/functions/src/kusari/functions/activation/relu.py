"""Rectified linear unit."""
import numpy

from kusari import _workspace
from kusari import backend
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

_ndarray = numpy.ndarray

# CPU: ``gy * (y > 0)`` is two NumPy passes plus a boolean temporary; the Cython
# kernel is one branch-free pass (timeit: 16 floats 0.9 us vs 3.3 us, 100000 floats
# 53 us vs 169 us).  The forward is a vectorized Cython pass too (no ufunc dispatch on
# small arrays; 1M float32: 0.22 ms vs numpy.maximum's 0.60), into a pooled buffer
# when large.
_relu_grad_gpu = cuda.elementwise(
    'T y, T gy', 'T gx', 'gx = y > (T)0 ? gy : (T)0', 'kusari_relu_grad')


def _relu_grad_array(y, gy):
    if type(y) is _ndarray:
        gx = _kernels.relu_grad(y, gy, _workspace.empty(y.shape, y.dtype)
                                if y.nbytes >= _workspace.MIN_BYTES else None)
        if gx is None:
            gx = _common.force_array(gy * (y > 0), gy.dtype)
        return gx
    return _relu_grad_gpu(y, gy)


class ReLU(function_node.FunctionNode):
    """Elementwise ``max(x, 0)``; keeps only its output for backward."""

    @property
    def label(self):
        return 'ReLU'

    def forward(self, inputs):
        x = inputs[0]
        if x.dtype.kind != 'f':
            raise _common.invalid('ReLU', 'x.dtype.kind == f', '%s != f' % x.dtype.kind)
        self.retain_outputs((0,))
        if type(x) is _ndarray:
            large = x.nbytes >= _workspace.MIN_BYTES
            out = _workspace.empty(x.shape, x.dtype) if large else None
            y = _kernels.relu_forward(x, out)
            if y is not None:
                return y,
            if large:
                return numpy.maximum(x, 0, out=out),
            y = numpy.maximum(x, x.dtype.type(0))   # a typed 0 keeps 0-d float32 on NumPy 1.x
            if type(y) is not _ndarray:
                y = numpy.asarray(y)
            return y,
        return backend.get_array_module(x).maximum(x, 0),

    def backward(self, indexes, grad_outputs):
        y = self.output_data()[0]
        return ReLUGrad(y).apply((grad_outputs[0],))

    def backward_array(self, indexes, grad_outputs):
        return _relu_grad_array(self.output_data()[0], grad_outputs[0]),


class ReLUGrad(function_node.FunctionNode):
    """``gx = gy * (y > 0)`` for a fixed output array ``y`` (linear in ``gy``)."""

    def __init__(self, y):
        self.y = y

    @property
    def label(self):
        return 'ReLUGrad'

    def forward(self, inputs):
        return _relu_grad_array(self.y, inputs[0]),

    def backward(self, indexes, grad_outputs):
        return ReLUGrad(self.y).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _relu_grad_array(self.y, grad_outputs[0]),


def relu(x):
    """Rectified Linear Unit function.

    .. math:: f(x) = \\max(0, x).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.relu(numpy.array([[-1., 0.], [2., -3.]], numpy.float32)).array
    array([[0., 0.],
           [2., 0.]], dtype=float32)
    """
    return ReLU().apply((x,))[0]
