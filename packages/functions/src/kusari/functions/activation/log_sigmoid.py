"""Log-sigmoid activation."""
from kusari.backends import cuda
from kusari.functions.activation import _modern_kernels as _k
from kusari.functions.activation import _unary_act
from kusari.functions.activation.sigmoid import sigmoid as _sigmoid_fn

_log_sigmoid_fwd_gpu = cuda.elementwise(
    'T x', 'T y', 'y = (x < (T)0 ? x : (T)0) - log1p(exp(-fabs(x)))',
    'kusari_log_sigmoid_fwd')
_log_sigmoid_grad_gpu = cuda.elementwise(
    'T x, T gy', 'T gx', 'gx = gy / ((T)1 + exp(x))', 'kusari_log_sigmoid_grad')


class LogSigmoid(_unary_act.UnaryActivation):
    """``log(sigmoid(x))`` elementwise, without overflow."""

    _op = _k.OP_LOG_SIGMOID
    _name = 'LogSigmoid'
    _gpu_fwd = _log_sigmoid_fwd_gpu
    _gpu_grad = _log_sigmoid_grad_gpu

    def _deriv_var(self, x):
        return _sigmoid_fn(-x)


def log_sigmoid(x):
    """Logarithm of the sigmoid function, computed stably.

    .. math:: f(x) = \\log \\sigma(x) = -\\log(1 + e^{-x})
        = \\min(x, 0) - \\log(1 + e^{-|x|}), \\qquad f'(x) = \\sigma(-x).

    Not in Chainer v7.  Twice (and more) differentiable.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.log_sigmoid(numpy.array([-1000., 0., 2.])).array
    array([-1.00000000e+03, -6.93147181e-01, -1.26928011e-01])
    """
    return LogSigmoid().apply((x,))[0]
