"""Sigmoid linear unit (SiLU)."""
from kusari.backends import cuda
from kusari.functions.activation import _modern_kernels as _k
from kusari.functions.activation import _unary_act
from kusari.functions.activation.sigmoid import sigmoid as _sigmoid_fn

_silu_fwd_gpu = cuda.elementwise(
    'T x', 'T y', 'y = x / ((T)1 + exp(-x))', 'kusari_silu_fwd')
_silu_grad_gpu = cuda.elementwise(
    'T x, T gy', 'T gx',
    '''
    T s = (T)1 / ((T)1 + exp(-x));
    gx = gy * s * ((T)1 + x * ((T)1 - s));
    ''',
    'kusari_silu_grad')


class SiLU(_unary_act.UnaryActivation):
    """``x * sigmoid(x)`` elementwise."""

    _op = _k.OP_SILU
    _name = 'SiLU'
    _gpu_fwd = _silu_fwd_gpu
    _gpu_grad = _silu_grad_gpu

    def _deriv_var(self, x):
        s = _sigmoid_fn(x)
        return s * (x * (1.0 - s) + 1.0)


def silu(x):
    """Sigmoid linear unit (a.k.a. swish with :math:`\\beta = 1`).

    .. math:: f(x) = x \\sigma(x) = \\frac{x}{1 + \\exp(-x)}.

    Not in Chainer v7 (:func:`~kusari.functions.swish` with ``beta = 1`` computes the
    same with a learnable ``beta``).  Twice (and more) differentiable.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.silu(numpy.array([-1., 0., 2.])).array
    array([-0.26894142,  0.        ,  1.76159416])
    """
    return SiLU().apply((x,))[0]
