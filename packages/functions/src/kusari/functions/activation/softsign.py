"""Softsign activation."""
from kusari.backends import cuda
from kusari.functions.activation import _modern_kernels as _k
from kusari.functions.activation import _unary_act

_softsign_fwd_gpu = cuda.elementwise(
    'T x', 'T y', 'y = x / ((T)1 + fabs(x))', 'kusari_softsign_fwd')
_softsign_grad_gpu = cuda.elementwise(
    'T x, T gy', 'T gx',
    '''
    T a = (T)1 + fabs(x);
    gx = gy / (a * a);
    ''',
    'kusari_softsign_grad')


class Softsign(_unary_act.UnaryActivation):
    """``x / (1 + |x|)`` elementwise."""

    _op = _k.OP_SOFTSIGN
    _name = 'Softsign'
    _gpu_fwd = _softsign_fwd_gpu
    _gpu_grad = _softsign_grad_gpu

    def _deriv_var(self, x):
        a = abs(x) + 1.0
        return 1.0 / (a * a)


def softsign(x):
    """Softsign activation.

    .. math:: f(x) = \\frac{x}{1 + |x|}, \\qquad f'(x) = \\frac{1}{(1 + |x|)^2}.

    Not in Chainer v7.  Twice (and more) differentiable away from 0 (the second
    derivative jumps at 0).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.softsign(numpy.array([-3., 0., 1.])).array
    array([-0.75,  0.  ,  0.5 ])
    """
    return Softsign().apply((x,))[0]
