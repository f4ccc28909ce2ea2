"""Hyperbolic tangent activation."""
import numpy

from kusari import backend
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

_ndarray = numpy.ndarray

# On the CPU, ``gy * (1 - y * y)`` takes three NumPy passes and temporaries; the
# Cython kernel takes one (timeit: ~1.5x faster for 2000 float64, on par for tiny
# arrays).  On the GPU this elementwise kernel does the same.
_tanh_grad_gpu = cuda.elementwise(
    'T y, T gy', 'T gx', 'gx = gy * ((T)1 - y * y)', 'kusari_tanh_grad')


def _tanh_grad_array(y, gy):
    if type(y) is _ndarray:
        gx = _kernels.tanh_grad(y, gy)
        if gx is None:
            gx = _common.force_array(gy * (y.dtype.type(1) - y * y), y.dtype)
        return gx
    return _tanh_grad_gpu(y, gy)


class Tanh(function_node.FunctionNode):
    """Elementwise hyperbolic tangent; keeps only its output for backward."""

    @property
    def label(self):
        return 'Tanh'

    def forward(self, inputs):
        x = inputs[0]
        if x.dtype.kind != 'f':
            raise _common.invalid('Tanh', 'x.dtype.kind == f', '%s != f' % x.dtype.kind)
        self.retain_outputs((0,))
        if type(x) is _ndarray:
            # one Cython pass (float32: the SIMD tanh of _vecmath.h) skips the ufunc
            # machinery, which is most of the cost on small arrays
            y = _kernels.tanh_forward(x)
            if y is None:
                y = numpy.tanh(x)
                if type(y) is not _ndarray:
                    y = numpy.asarray(y)
            return y,
        return backend.get_array_module(x).tanh(x),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        return TanhGrad().apply((y, grad_outputs[0]))

    def backward_array(self, indexes, grad_outputs):
        return _tanh_grad_array(self.output_data()[0], grad_outputs[0]),


class TanhGrad(function_node.FunctionNode):
    """``gx = gy * (1 - y ** 2)`` from ``(y, gy)``, itself differentiable."""

    @property
    def label(self):
        return 'TanhGrad'

    def forward(self, inputs):
        self.retain_inputs((0, 1))
        y, gy = inputs
        return _tanh_grad_array(y, gy),

    def backward(self, indexes, grad_outputs):
        y, gy = self.get_retained_inputs()
        ggx, = grad_outputs
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(y * gy * ggx * -2.0)
            else:
                ret.append(TanhGrad().apply((y, ggx))[0])
        return tuple(ret)


def tanh(x):
    """Elementwise hyperbolic tangent function.

    .. math:: y_i = \\tanh(x_i).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([-1., 0., 2.], numpy.float32)
    >>> F.tanh(x).array
    array([-0.7615942,  0.       ,  0.9640276], dtype=float32)
    """
    return Tanh().apply((x,))[0]
