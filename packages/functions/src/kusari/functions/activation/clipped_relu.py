"""Clipped rectified linear unit (and ReLU6)."""
import numbers

import numpy

from kusari import backend
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

_ndarray = numpy.ndarray

# CPU: the gradient ``gy * ((0 < x) & (x < z))`` is four NumPy passes; the Cython
# kernel is one (same branch-free loop as ReLU's gradient).  The forward stays
# ``numpy.clip`` (one pass).
_clipped_grad_gpu = cuda.elementwise(
    'T x, T gy, T z', 'T gx', 'gx = ((T)0 < x && x < z) ? gy : (T)0',
    'kusari_clipped_relu_grad')


def _clipped_grad_array(x, gy, z):
    if type(x) is _ndarray:
        gx = _kernels.clipped_relu_grad(x, gy, z)
        if gx is None:
            gx = _common.force_array(gy * ((0 < x) & (x < z)), gy.dtype)
        return gx
    return _clipped_grad_gpu(x, gy, gy.dtype.type(z))


class ClippedReLU(function_node.FunctionNode):
    """Elementwise ``min(max(0, x), z)``."""

    def __init__(self, z):
        if not isinstance(z, numbers.Real) or isinstance(z, bool):
            raise TypeError('clipped_relu: z must be a float, got %s'
                            % type(z).__name__)
        if not z > 0:
            raise ValueError('clipped_relu: z must be positive, got %r' % (z,))
        self.cap = float(z)

    @property
    def label(self):
        return 'ClippedReLU'

    def forward(self, inputs):
        x = inputs[0]
        _common.check_float('ClippedReLU', x)
        self.retain_inputs((0,))
        xp = backend.get_array_module(x)
        return _common.force_array(xp.clip(x, 0, self.cap), x.dtype),

    def backward(self, indexes, grad_outputs):
        return ClippedReLUGrad(self.inputs[0].data, self.cap).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _clipped_grad_array(self.inputs[0].data, grad_outputs[0], self.cap),


class ClippedReLUGrad(function_node.FunctionNode):
    """``gx = gy * (0 < x < z)`` for a fixed input array (linear in ``gy``)."""

    def __init__(self, x, z):
        self.x = x
        self.cap = z

    def forward(self, inputs):
        return _clipped_grad_array(self.x, inputs[0], self.cap),

    def backward(self, indexes, grad_outputs):
        return ClippedReLUGrad(self.x, self.cap).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _clipped_grad_array(self.x, grad_outputs[0], self.cap),


def clipped_relu(x, z=20.0):
    """Clipped Rectifier Unit function.

    .. math:: \\text{ClippedReLU}(x, z) = \\min(\\max(0, x), z).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        z (float): Clipping value (positive).

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.clipped_relu(numpy.array([-1., 0.5, 30.], numpy.float32), z=10.0).array
    array([ 0. ,  0.5, 10. ], dtype=float32)
    """
    return ClippedReLU(z).apply((x,))[0]


def relu6(x):
    """Rectifier Unit function clipped at 6: ``min(max(0, x), 6)``.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.relu6(numpy.array([-1., 3., 8.], numpy.float32)).array
    array([0., 3., 6.], dtype=float32)
    """
    return ClippedReLU(6.0).apply((x,))[0]
