"""Randomized leaky rectified linear unit."""
import numpy

from kusari import _core
from kusari import backend
from kusari import configuration
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common

_rrelu_gpu = cuda.elementwise(
    'T cond, T x, T r', 'T y', 'y = cond >= (T)0 ? x : (T)(r * x)', 'kusari_rrelu')


def _rrelu_array(cond, x, r):
    if isinstance(x, numpy.ndarray):
        return _common.force_array(numpy.where(cond >= 0, x, x * r), x.dtype)
    return _rrelu_gpu(cond, x, r)


class RReLU(function_node.FunctionNode):
    """``x if x >= 0 else r * x`` for a fixed slope array ``r`` of the shape of x."""

    def __init__(self, r):
        self.r = r

    @property
    def label(self):
        return 'RReLU'

    def forward(self, inputs):
        x, = inputs
        _common.check_float('RReLU', x)
        self.retain_inputs((0,))
        return _rrelu_array(x, x, self.r),

    def backward(self, indexes, grad_outputs):
        return _RReLUGrad(self.inputs[0].data, self.r).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _rrelu_array(self.inputs[0].data, grad_outputs[0], self.r),


class _RReLUGrad(function_node.FunctionNode):

    def __init__(self, x, r):
        self.x = x
        self.r = r

    def forward(self, inputs):
        return _rrelu_array(self.x, inputs[0], self.r),

    def backward(self, indexes, grad_outputs):
        return _RReLUGrad(self.x, self.r).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _rrelu_array(self.x, grad_outputs[0], self.r),


def rrelu(x, l=1. / 8, u=1. / 3, *, r=None, return_r=False):
    """Randomized Leaky Rectified Linear Unit function.

    .. math:: f(x) = \\begin{cases} x & (x \\ge 0) \\\\ a x & (x < 0) \\end{cases}

    In training mode (``kusari.config.train``) the slopes :math:`a` are sampled
    elementwise from the uniform distribution :math:`U(l, u)` unless ``r`` is given;
    in test mode every slope is :math:`(l + u) / 2` (a given ``r`` is ignored, as in
    Chainer).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of any shape, float dtype.
        l (float): Lower bound of the uniform distribution, ``0 <= l < u``.
        u (float): Upper bound of the uniform distribution, ``u < 1``.
        r (:class:`numpy.ndarray` or :class:`cupy.ndarray` or None): Slopes to use
            (shape and dtype of ``x``); ``l`` and ``u`` are then ignored.
        return_r (bool): Also return the slopes used.

    Returns:
        ~kusari.Variable or tuple: The output (shape and dtype of ``x``), or
        ``(output, r)`` when ``return_r`` is True.

    >>> import numpy, kusari, kusari.functions as F
    >>> x = numpy.array([-1., 0., 2.], numpy.float32)
    >>> with kusari.using_config('train', False):
    ...     F.rrelu(x, l=0.1, u=0.3).array
    array([-0.2,  0. ,  2. ], dtype=float32)
    """
    if not 0.0 <= l < 1.0:
        raise ValueError('rrelu: l must be in the range [0, 1), got %r' % (l,))
    if not 0.0 <= u < 1.0:
        raise ValueError('rrelu: u must be in the range [0, 1), got %r' % (u,))
    if not l < u:
        raise ValueError('rrelu: l must be less than u, got l=%r, u=%r' % (l, u))
    xv = _core.as_variable(x)
    xa = xv.array
    _common.check_float('RReLU', xa)
    xp = backend.get_array_module(xa)
    if configuration.config.train:
        if r is None:
            r = xp.random.uniform(l, u, xa.shape).astype(xa.dtype, copy=False)
        else:
            if backend.get_array_module(r) is not xp:
                raise TypeError('rrelu: r must be on the device of x')
            if r.shape != xa.shape:
                raise _common.invalid('RReLU', 'r.shape == x.shape',
                                      '%s != %s' % (r.shape, xa.shape))
            if r.dtype != xa.dtype:
                raise _common.invalid('RReLU', 'r.dtype == x.dtype',
                                      '%s != %s' % (r.dtype, xa.dtype))
    else:
        r = xp.full(xa.shape, (l + u) / 2, dtype=xa.dtype)
    y = RReLU(r).apply((xv,))[0]
    if return_r:
        return y, r
    return y
