"""Gaussian error linear unit (GELU), exact and tanh-approximated."""
import math

import numpy

from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _modern_kernels as _k
from kusari.functions.activation import _unary_act
from kusari.functions.activation.tanh import tanh as _tanh_fn
from kusari.functions.math.exponential import exp as _exp_fn

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_C = math.sqrt(2.0 / math.pi)
_TANH_A = 0.044715

_gelu_fwd_gpu = cuda.elementwise(
    'T x', 'T y',
    'y = (T)0.5 * x * erfc(-x * (T)0.70710678118654752440)',
    'kusari_gelu_fwd')
_gelu_grad_gpu = cuda.elementwise(
    'T x, T gy', 'T gx',
    '''
    T cdf = (T)0.5 * erfc(-x * (T)0.70710678118654752440);
    gx = gy * (cdf + x * (T)0.39894228040143267794 * exp((T)-0.5 * x * x));
    ''',
    'kusari_gelu_grad')
_gelu_tanh_fwd_gpu = cuda.elementwise(
    'T x', 'T y',
    'y = (T)0.5 * x * ((T)1 + tanh((T)0.79788456080286535588 * '
    '(x + (T)0.044715 * x * x * x)))',
    'kusari_gelu_tanh_fwd')
_gelu_tanh_grad_gpu = cuda.elementwise(
    'T x, T gy', 'T gx',
    '''
    T t = tanh((T)0.79788456080286535588 * (x + (T)0.044715 * x * x * x));
    gx = gy * ((T)0.5 * ((T)1 + t) + (T)0.5 * x * ((T)1 - t * t)
               * (T)0.79788456080286535588 * ((T)1 + (T)0.134145 * x * x));
    ''',
    'kusari_gelu_tanh_grad')
_ndtr_gpu = cuda.elementwise(
    'T x', 'T y', 'y = (T)0.5 * erfc(-x * (T)0.70710678118654752440)', 'kusari_gelu_ndtr')


def _phi_var(x):
    """The standard normal density ``exp(-x^2 / 2) / sqrt(2 pi)`` of a Variable."""
    return _exp_fn(x * x * -0.5) * _INV_SQRT_2PI


class _Ndtr(function_node.FunctionNode):
    """Standard normal CDF ``Phi(x)`` (computed with ``erfc``, no SciPy needed)."""

    @property
    def label(self):
        return 'GELU'

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        if type(x) is numpy.ndarray:
            return _unary_act.cpu_forward(_k.OP_NDTR, x),
        return _unary_act._gpu_call(_ndtr_gpu, x),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _phi_var(x),


class GELU(_unary_act.UnaryActivation):
    """Exact GELU ``x * Phi(x)`` (``Phi`` the standard normal CDF)."""

    _op = _k.OP_GELU
    _name = 'GELU'
    _gpu_fwd = _gelu_fwd_gpu
    _gpu_grad = _gelu_grad_gpu

    def _deriv_var(self, x):
        return _Ndtr().apply((x,))[0] + x * _phi_var(x)


class GELUTanh(_unary_act.UnaryActivation):
    """GELU approximated by ``x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""

    _op = _k.OP_GELU_TANH
    _name = 'GELU'
    _gpu_fwd = _gelu_tanh_fwd_gpu
    _gpu_grad = _gelu_tanh_grad_gpu

    def _deriv_var(self, x):
        x2 = x * x
        t = _tanh_fn((x + x2 * x * _TANH_A) * _TANH_C)
        return (t + 1.0) * 0.5 + x * (1.0 - t * t) * (x2 * (3.0 * _TANH_A) + 1.0) * (
            0.5 * _TANH_C)


def gelu(x, approximate='none'):
    """Gaussian error linear unit (Hendrycks & Gimpel, 2016).

    .. math:: f(x) = x \\Phi(x) = \\frac{x}{2}
        \\left(1 + \\mathrm{erf}\\left(\\frac{x}{\\sqrt 2}\\right)\\right),

    with :math:`\\Phi` the standard normal CDF; with ``approximate='tanh'``,

    .. math:: f(x) = \\frac{x}{2} \\left(1 + \\tanh\\left(\\sqrt{2 / \\pi}
        \\left(x + 0.044715 x^3\\right)\\right)\\right).

    Not in Chainer v7 (PyTorch's ``gelu`` has the same definition and argument).
    Twice (and more) differentiable.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        approximate (str): ``'none'`` (the exact erf form) or ``'tanh'``.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([-1., 0., 1.])
    >>> F.gelu(x).array
    array([-0.15865525,  0.        ,  0.84134475])
    >>> F.gelu(x, approximate='tanh').array
    array([-0.15880801,  0.        ,  0.84119199])
    """
    if approximate == 'none':
        return GELU().apply((x,))[0]
    if approximate == 'tanh':
        return GELUTanh().apply((x,))[0]
    raise ValueError("gelu: approximate must be 'none' or 'tanh', got %r"
                     % (approximate,))
