"""Mish activation."""
from kusari.backends import cuda
from kusari.functions.activation import _modern_kernels as _k
from kusari.functions.activation import _unary_act
from kusari.functions.activation.sigmoid import sigmoid as _sigmoid_fn
from kusari.functions.activation.softplus import softplus as _softplus_fn
from kusari.functions.activation.tanh import tanh as _tanh_fn

_PREAMBLE = '''
template <typename U> __device__ U kusari_mish_softplus(U x) {
    return (x > (U)0 ? x : (U)0) + log1p(exp(-fabs(x)));
}
'''

_mish_fwd_gpu = cuda.elementwise(
    'T x', 'T y', 'y = x * tanh(kusari_mish_softplus(x))', 'kusari_mish_fwd',
    preamble=_PREAMBLE)
_mish_grad_gpu = cuda.elementwise(
    'T x, T gy', 'T gx',
    '''
    T t = tanh(kusari_mish_softplus(x));
    T s = (T)1 / ((T)1 + exp(-x));
    gx = gy * (t + x * s * ((T)1 - t * t));
    ''',
    'kusari_mish_grad', preamble=_PREAMBLE)


class Mish(_unary_act.UnaryActivation):
    """``x * tanh(softplus(x))`` elementwise."""

    _op = _k.OP_MISH
    _name = 'Mish'
    _gpu_fwd = _mish_fwd_gpu
    _gpu_grad = _mish_grad_gpu

    def _deriv_var(self, x):
        t = _tanh_fn(_softplus_fn(x))
        return t + x * _sigmoid_fn(x) * (1.0 - t * t)


def mish(x):
    """Mish activation (Misra, 2019).

    .. math:: f(x) = x \\tanh(\\mathrm{softplus}(x)) = x \\tanh(\\log(1 + e^x)).

    Not in Chainer v7.  Twice (and more) differentiable.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.mish(numpy.array([-1., 0., 1.])).array
    array([-0.30340147,  0.        ,  0.86509839])
    """
    return Mish().apply((x,))[0]
