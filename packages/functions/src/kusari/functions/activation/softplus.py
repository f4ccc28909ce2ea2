"""Softplus."""
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common
from kusari.functions.activation.sigmoid import _sigmoid_array
from kusari.functions.activation.sigmoid import sigmoid as _sigmoid_fn


class Softplus(function_node.FunctionNode):
    """``log(1 + exp(beta * x)) / beta``, computed without overflow."""

    def __init__(self, beta=1.0):
        self.beta = float(beta)
        if self.beta == 0:
            raise ValueError('softplus: beta must be nonzero')
        self.beta_inv = 1.0 / self.beta

    @property
    def label(self):
        return 'Softplus'

    def forward(self, inputs):
        x, = inputs
        _common.check_float('Softplus', x)
        self.retain_inputs((0,))
        xp = backend.get_array_module(x)
        t = x.dtype.type
        bx = x * t(self.beta)
        y = xp.maximum(bx, 0) + xp.log1p(xp.exp(-abs(bx)))
        y *= t(self.beta_inv)
        return _common.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        return grad_outputs[0] * _sigmoid_fn(x * self.beta),

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        s = _sigmoid_array(_common.force_array(x * x.dtype.type(self.beta)))
        return _common.force_array(grad_outputs[0] * s, x.dtype),


def softplus(x, beta=1.0):
    """Element-wise softplus function.

    .. math:: f(x) = \\frac{1}{\\beta} \\log(1 + \\exp(\\beta x)),

    a smooth approximation of ReLU.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        beta (float): Parameter :math:`\\beta` (nonzero).

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.softplus(numpy.array([-1., 0., 1.])).array
    array([0.31326169, 0.69314718, 1.31326169])
    """
    return Softplus(beta=beta).apply((x,))[0]
