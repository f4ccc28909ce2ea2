"""Leaky rectified linear unit."""
import numpy

from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

_ndarray = numpy.ndarray

# CPU: ``where(x >= 0, x, slope * x)`` is three NumPy passes; the Cython kernels do
# the forward and the gradient in one pass each (timeit: 100000 floats, forward
# 1.2 ms vs 2.5 ms, gradient 27 us vs 711 us; 16 floats 0.7 us vs 3.8 us).
_leaky_fwd_gpu = cuda.elementwise(
    'T x, T slope', 'T y', 'y = x >= (T)0 ? x : (T)(slope * x)', 'kusari_leaky_relu_fwd')
_leaky_grad_gpu = cuda.elementwise(
    'T x, T gy, T slope', 'T gx', 'gx = x >= (T)0 ? gy : (T)(slope * gy)',
    'kusari_leaky_relu_grad')


def _leaky_grad_array(x, gy, slope):
    if type(x) is _ndarray:
        gx = _kernels.leaky_relu_grad(x, gy, slope)
        if gx is None:
            gx = _common.force_array(
                numpy.where(x >= 0, gy, gy * gy.dtype.type(slope)), gy.dtype)
        return gx
    return _leaky_grad_gpu(x, gy, gy.dtype.type(slope))


class LeakyReLU(function_node.FunctionNode):
    """Elementwise ``x if x >= 0 else slope * x``."""

    def __init__(self, slope=0.2):
        self.slope = float(slope)

    @property
    def label(self):
        return 'LeakyReLU'

    def forward(self, inputs):
        x = inputs[0]
        _common.check_float('LeakyReLU', x)
        self.retain_inputs((0,))
        if type(x) is _ndarray:
            y = _kernels.leaky_relu_forward(x, self.slope)
            if y is None:
                y = _common.force_array(
                    numpy.where(x >= 0, x, x * x.dtype.type(self.slope)), x.dtype)
            return y,
        return _leaky_fwd_gpu(x, x.dtype.type(self.slope)),

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        return LeakyReLUGrad(x, self.slope).apply((grad_outputs[0],))

    def backward_array(self, indexes, grad_outputs):
        return _leaky_grad_array(self.inputs[0].data, grad_outputs[0], self.slope),


class LeakyReLUGrad(function_node.FunctionNode):
    """``gx = gy if x >= 0 else slope * gy`` for a fixed input array (linear in gy)."""

    def __init__(self, x, slope):
        self.x = x
        self.slope = slope

    def forward(self, inputs):
        return _leaky_grad_array(self.x, inputs[0], self.slope),

    def backward(self, indexes, grad_outputs):
        return LeakyReLUGrad(self.x, self.slope).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _leaky_grad_array(self.x, grad_outputs[0], self.slope),


def leaky_relu(x, slope=0.2):
    """Leaky Rectified Linear Unit function.

    .. math::
        f(x) = \\begin{cases} x & (x \\ge 0) \\\\ ax & (x < 0) \\end{cases}

    where :math:`a` is ``slope``.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        slope (float): Slope :math:`a` for negative inputs.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.leaky_relu(numpy.array([-1., 0., 2.], numpy.float32), slope=0.2).array
    array([-0.2,  0. ,  2. ], dtype=float32)
    """
    return LeakyReLU(slope).apply((x,))[0]
