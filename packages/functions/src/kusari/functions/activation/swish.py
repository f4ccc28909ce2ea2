"""Swish activation."""
from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common
from kusari.functions.activation.sigmoid import _sigmoid_array
from kusari.functions.activation.sigmoid import sigmoid as _sigmoid_fn


class Swish(function_node.FunctionNode):
    """``x * sigmoid(beta * x)`` with ``beta`` placed on the axes 1, 2, ... of x."""

    @property
    def label(self):
        return 'Swish'

    def forward(self, inputs):
        x, beta = inputs
        _common.check_float('Swish', x)
        _common.check_same_dtype('Swish', x, beta, ('x', 'beta'))
        if not beta.ndim <= x.ndim - 1:
            raise _common.invalid('Swish', 'beta.ndim <= x.ndim - 1',
                                  '%d > %d' % (beta.ndim, x.ndim - 1))
        if x.shape[1:1 + beta.ndim] != beta.shape:
            raise _common.invalid('Swish', 'beta.shape == x.shape[1:1 + beta.ndim]',
                                  '%s != %s' % (beta.shape, x.shape[1:1 + beta.ndim]))
        self.retain_inputs((0, 1))
        b = beta.reshape(_common.extended_shape(beta.shape, x.ndim))
        y = x * _sigmoid_array(_common.force_array(b * x))
        return _common.force_array(y, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, beta = self.get_retained_inputs()
        gy, = grad_outputs
        ext = _common.extended_shape(beta.shape, x.ndim)
        b = _core.broadcast_to(_core.reshape(beta, ext), x.shape)
        s = _sigmoid_fn(b * x)
        y = x * s
        one_minus_s = 1.0 - s
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(gy * (s + b * y * one_minus_s))
            else:
                gb = _core.sum_to(gy * x * y * one_minus_s, ext)
                ret.append(_core.reshape(gb, beta.shape))
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        beta = self.inputs[1].data
        gy, = grad_outputs
        xp = backend.get_array_module(x)
        b = beta.reshape(_common.extended_shape(beta.shape, x.ndim))
        s = _sigmoid_array(_common.force_array(b * x))
        y = x * s
        one_minus_s = x.dtype.type(1) - s
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(_common.force_array(gy * (s + b * y * one_minus_s), x.dtype))
            else:
                axes = _common.reduction_axes(beta.ndim, x.ndim)
                gb = (gy * x * y * one_minus_s).sum(axis=axes)
                ret.append(_common.force_array(xp.asarray(gb), beta.dtype)
                           .reshape(beta.shape))
        return tuple(ret)


def swish(x, beta):
    """Swish activation function.

    .. math:: f(x, \\beta) = x \\cdot \\sigma(\\beta x),

    where :math:`\\sigma` is the sigmoid function.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of shape :math:`(s_B, s_1, ..., s_N)`,
            :math:`s_B` the minibatch axis.
        beta (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Parameter :math:`\\beta` of shape
            :math:`(s_1, ..., s_M)`, :math:`0 \\le M \\le N`, the dtype of ``x``;
            it is broadcast as :math:`(1, s_1, ..., s_M, 1, ..., 1)`.

    Returns:
        ~kusari.Variable: Output of the shape of ``x``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[-1., 0., 2.]])
    >>> F.swish(x, numpy.ones(3)).array
    array([[-0.26894142,  0.        ,  1.76159416]])
    """
    return Swish().apply((x, beta))[0]
