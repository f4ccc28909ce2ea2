"""Hard sigmoid."""
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common


class HardSigmoid(function_node.FunctionNode):
    """Elementwise ``clip(0.2 * x + 0.5, 0, 1)``."""

    @property
    def label(self):
        return 'HardSigmoid'

    def forward(self, inputs):
        x = inputs[0]
        _common.check_float('HardSigmoid', x)
        self.retain_inputs((0,))
        xp = backend.get_array_module(x)
        t = x.dtype.type
        y = x * t(0.2)
        y += t(0.5)
        return _common.force_array(xp.clip(y, 0, 1), x.dtype),

    def backward(self, indexes, grad_outputs):
        return HardSigmoidGrad(self.inputs[0].data).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _hard_sigmoid_grad(self.inputs[0].data, grad_outputs[0]),


def _hard_sigmoid_grad(x, gy):
    mask = (-2.5 < x) & (x < 2.5)
    return _common.force_array(gy * mask * gy.dtype.type(0.2), gy.dtype)


class HardSigmoidGrad(function_node.FunctionNode):
    """``gx = 0.2 * gy * (-2.5 < x < 2.5)`` for a fixed input array (linear in gy)."""

    def __init__(self, x):
        self.x = x

    def forward(self, inputs):
        return _hard_sigmoid_grad(self.x, inputs[0]),

    def backward(self, indexes, grad_outputs):
        return HardSigmoidGrad(self.x).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _hard_sigmoid_grad(self.x, grad_outputs[0]),


def hard_sigmoid(x):
    """Element-wise hard-sigmoid function.

    .. math::
        f(x) = \\begin{cases} 0 & (x < -2.5) \\\\ 0.2 x + 0.5 & (-2.5 \\le x \\le 2.5)
        \\\\ 1 & (2.5 < x) \\end{cases}

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.hard_sigmoid(numpy.array([-3., -1., 0., 1., 3.], numpy.float32)).array
    array([0. , 0.3, 0.5, 0.7, 1. ], dtype=float32)
    """
    return HardSigmoid().apply((x,))[0]
