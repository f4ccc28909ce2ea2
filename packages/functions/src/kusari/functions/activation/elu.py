"""Exponential linear unit (and SELU)."""
import numpy

from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common
from kusari.functions.activation import _kernels

_ndarray = numpy.ndarray

# CPU: NumPy needs a copy, a mask, a gather, expm1 and a scatter for the forward and
# four passes for the gradient; the Cython kernels do one pass each.
_elu_fwd_gpu = cuda.elementwise(
    'T x, T alpha', 'T y', 'y = x > (T)0 ? x : (T)(alpha * expm1(x))', 'kusari_elu_fwd')
_elu_grad_gpu = cuda.elementwise(
    'T x, T y, T gy, T alpha', 'T gx', 'gx = x > (T)0 ? gy : (T)(gy * (y + alpha))',
    'kusari_elu_grad')
_elu_dydx_gpu = cuda.elementwise(
    'T x, T y, T alpha', 'T d', 'd = x > (T)0 ? (T)1 : (T)(y + alpha)', 'kusari_elu_dydx')


def _elu_grad_array(x, y, gy, alpha):
    if type(x) is _ndarray:
        gx = _kernels.elu_grad(x, y, gy, alpha)
        if gx is None:
            gx = _common.force_array(
                numpy.where(x > 0, gy, gy * (y + y.dtype.type(alpha))), gy.dtype)
        return gx
    return _elu_grad_gpu(x, y, gy, gy.dtype.type(alpha))


class ELU(function_node.FunctionNode):
    """Elementwise ``x if x > 0 else alpha * (exp(x) - 1)``."""

    def __init__(self, alpha=1.0):
        self.alpha = float(alpha)

    @property
    def label(self):
        return 'ELU'

    def forward(self, inputs):
        x = inputs[0]
        _common.check_float('ELU', x)
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        if type(x) is _ndarray:
            y = _kernels.elu_forward(x, self.alpha)
            if y is None:
                y = x.copy()
                neg = x <= 0
                y[neg] = x.dtype.type(self.alpha) * numpy.expm1(x[neg])
            return y,
        return _elu_fwd_gpu(x, x.dtype.type(self.alpha)),

    def backward(self, indexes, grad_outputs):
        y, = self.get_retained_outputs()
        d = ELUGrad(self.inputs[0].data, self.alpha).apply((y,))[0]
        return d * grad_outputs[0],

    def backward_array(self, indexes, grad_outputs):
        return _elu_grad_array(self.inputs[0].data, self.output_data()[0],
                               grad_outputs[0], self.alpha),


class ELUGrad(function_node.FunctionNode):
    """The derivative ``dy/dx`` of ELU from its output: 1 if x > 0 else y + alpha."""

    def __init__(self, x, alpha):
        self.x = x
        self.alpha = alpha

    def forward(self, inputs):
        y, = inputs
        if type(y) is _ndarray:
            d = numpy.where(self.x > 0, y.dtype.type(1), y + y.dtype.type(self.alpha))
            return _common.force_array(d, y.dtype),
        return _elu_dydx_gpu(self.x, y, y.dtype.type(self.alpha)),

    def backward(self, indexes, grad_outputs):
        g, = grad_outputs
        return g * (self.x <= 0).astype(g.dtype),


def elu(x, alpha=1.0):
    """Exponential Linear Unit function.

    .. math::
        f(x) = \\begin{cases} x & (x > 0) \\\\ \\alpha (\\exp(x) - 1) & (x \\le 0)
        \\end{cases}

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        alpha (float): Parameter :math:`\\alpha`.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.elu(numpy.array([-1., 0., 2.])).array
    array([-0.63212056,  0.        ,  2.        ])
    """
    return ELU(alpha).apply((x,))[0]


def selu(x, alpha=1.6732632423543772848170429916717,
         scale=1.0507009873554804934193349852946):
    """Scaled Exponential Linear Unit function: ``scale * elu(x, alpha)``.

    .. math::
        f(x) = \\lambda \\begin{cases} x & (x > 0) \\\\ \\alpha (\\exp(x) - 1)
        & (x \\le 0) \\end{cases}

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        alpha (float): Parameter :math:`\\alpha`.
        scale (float): Parameter :math:`\\lambda`.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.selu(numpy.array([-1., 0., 2.])).array
    array([-1.11133074,  0.        ,  2.10140197])
    """
    return ELU(alpha).apply((x,))[0] * scale
