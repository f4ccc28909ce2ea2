"""Hard swish activation."""
from kusari.backends import cuda
from kusari.functions.activation import _modern_kernels as _k
from kusari.functions.activation import _unary_act

_hard_swish_fwd_gpu = cuda.elementwise(
    'T x', 'T y',
    '''
    T t = x + (T)3;
    t = t < (T)0 ? (T)0 : (t > (T)6 ? (T)6 : t);
    y = x * t / (T)6;
    ''',
    'kusari_hard_swish_fwd')
_hard_swish_grad_gpu = cuda.elementwise(
    'T x, T gy', 'T gx',
    'gx = x < (T)-3 ? (T)0 : (x <= (T)3 ? gy * (x / (T)3 + (T)0.5) : gy)',
    'kusari_hard_swish_grad')


class HardSwish(_unary_act.UnaryActivation):
    """``x * relu6(x + 3) / 6`` elementwise."""

    _op = _k.OP_HARD_SWISH
    _name = 'HardSwish'
    _gpu_fwd = _hard_swish_fwd_gpu
    _gpu_grad = _hard_swish_grad_gpu

    def _deriv_var(self, x):
        a = x.array
        mid = ((a >= -3) & (a <= 3)).astype(a.dtype)
        const = (mid * a.dtype.type(0.5) + (a > 3)).astype(a.dtype)
        return x * (mid / a.dtype.type(3)).astype(a.dtype) + const


def hard_swish(x):
    """Hard swish activation (Howard et al., 2019, MobileNetV3).

    .. math:: f(x) = x \\frac{\\mathrm{ReLU6}(x + 3)}{6}
        = \\begin{cases} 0 & x \\le -3 \\\\ x (x + 3) / 6 & -3 < x < 3 \\\\
        x & x \\ge 3. \\end{cases}

    Not in Chainer v7.  The derivative is ``0`` for ``x < -3``, ``x / 3 + 1/2`` for
    ``-3 <= x <= 3`` and ``1`` above (PyTorch's convention at the kinks); it is
    piecewise linear, so the second derivative is ``1/3`` on ``[-3, 3]`` and 0 outside.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.

    Returns:
        ~kusari.Variable: Output of the shape and dtype of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.hard_swish(numpy.array([-4., -1., 0., 1., 4.])).array
    array([-0.        , -0.33333333,  0.        ,  0.66666667,  4.        ])
    """
    return HardSwish().apply((x,))[0]
