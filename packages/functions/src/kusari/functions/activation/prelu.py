"""Parametric rectified linear unit."""
import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.backends import cuda
from kusari.functions.activation import _common

_prelu_fwd_gpu = cuda.elementwise(
    'T x, T W', 'T y', 'y = x >= (T)0 ? x : (T)(x * W)', 'kusari_prelu_fwd')


class PReLUFunction(function_node.FunctionNode):
    """``x if x >= 0 else W * x`` with ``W`` placed on the axes 1, 2, ... of ``x``."""

    @property
    def label(self):
        return 'PReLUFunction'

    def forward(self, inputs):
        x, W = inputs
        _common.check_float('PReLUFunction', x)
        _common.check_same_dtype('PReLUFunction', x, W, ('x', 'W'))
        if not x.ndim >= W.ndim + 1:
            raise _common.invalid('PReLUFunction', 'x.ndim >= W.ndim + 1',
                                  '%d < %d' % (x.ndim, W.ndim + 1))
        if x.shape[1:1 + W.ndim] != W.shape:
            raise _common.invalid('PReLUFunction', 'x.shape[1:1 + W.ndim] == W.shape',
                                  '%s != %s' % (x.shape[1:1 + W.ndim], W.shape))
        self.retain_inputs((0, 1))
        Wb = W.reshape(_common.extended_shape(W.shape, x.ndim))
        if isinstance(x, numpy.ndarray):
            y = _common.force_array(numpy.where(x >= 0, x, x * Wb), x.dtype)
        else:
            y = _prelu_fwd_gpu(x, Wb)
        return y,

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        W = self.inputs[1].data
        xv, Wv = self.get_retained_inputs()
        gy, = grad_outputs
        ext = _common.extended_shape(W.shape, x.ndim)
        neg = (x < 0).astype(x.dtype)
        ret = []
        for i in indexes:
            if i == 0:
                Wb = _core.broadcast_to(_core.reshape(Wv, ext), x.shape)
                ret.append(gy * (1 - neg) + gy * Wb * neg)
            else:
                gW = _core.sum_to(gy * xv * neg, ext)
                ret.append(_core.reshape(gW, W.shape))
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        W = self.inputs[1].data
        gy, = grad_outputs
        xp = backend.get_array_module(x)
        neg = x < 0
        ret = []
        for i in indexes:
            if i == 0:
                Wb = W.reshape(_common.extended_shape(W.shape, x.ndim))
                ret.append(_common.force_array(xp.where(neg, gy * Wb, gy), x.dtype))
            else:
                axes = _common.reduction_axes(W.ndim, x.ndim)
                gW = (gy * x * neg).sum(axis=axes)
                ret.append(_common.force_array(xp.asarray(gW), W.dtype).reshape(W.shape))
        return tuple(ret)


def prelu(x, W):
    """Parametric ReLU function.

    .. math:: y_i = \\max(x_i, W_{i} x_i) \\quad\\text{(precisely: } x_i \\text{ if }
        x_i \\ge 0 \\text{ else } W x_i \\text{)}

    ``W`` has the shape ``x.shape[1:1 + W.ndim]``: it is shared along the batch axis
    and the trailing axes (for a convolution output, one slope per channel).

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of shape :math:`(s_B, s_1, ..., s_N)`.
        W (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Slopes of shape :math:`(s_1, ..., s_M)`,
            :math:`M \\le N`, of the dtype of ``x``.

    Returns:
        ~kusari.Variable: Output of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[-1., 2.], [-3., -4.]], numpy.float32)
    >>> W = numpy.array([0.5, 0.1], numpy.float32)
    >>> F.prelu(x, W).array
    array([[-0.5,  2. ],
           [-1.5, -0.4]], dtype=float32)
    """
    return PReLUFunction().apply((x, W))[0]
