"""Concatenated rectified linear unit."""
from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common


class CReLU(function_node.FunctionNode):
    """``concat((max(0, x), max(0, -x)), axis)``."""

    def __init__(self, axis=1):
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError('crelu: axis must be an integer value, got %s'
                            % type(axis).__name__)
        self.axis = axis

    @property
    def label(self):
        return 'CReLU'

    def forward(self, inputs):
        x = inputs[0]
        _common.check_float('CReLU', x)
        axis = _common.normalize_axis('CReLU', self.axis, x.ndim)
        self._ax = axis
        self.retain_inputs((0,))
        xp = backend.get_array_module(x)
        shape = list(x.shape)
        n = shape[axis]
        shape[axis] = 2 * n
        y = xp.empty(shape, x.dtype)
        first = (slice(None),) * axis + (slice(0, n),)
        second = (slice(None),) * axis + (slice(n, 2 * n),)
        xp.maximum(x, 0, out=y[first])
        xp.maximum(-x, 0, out=y[second])
        return y,

    def _halves(self):
        n = self.inputs[0].shape[self._ax]
        first = (slice(None),) * self._ax + (slice(0, n),)
        second = (slice(None),) * self._ax + (slice(n, 2 * n),)
        return first, second

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        gy, = grad_outputs
        first, second = self._halves()
        pos = (x > 0).astype(x.dtype)
        neg = (x < 0).astype(x.dtype)
        return (_core.get_item(gy, first) * pos
                - _core.get_item(gy, second) * neg),

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        gy, = grad_outputs
        first, second = self._halves()
        gx = gy[first] * (x > 0)
        gx -= gy[second] * (x < 0)
        return _common.force_array(gx, x.dtype),


def crelu(x, axis=1):
    """Concatenated Rectified Linear Unit function.

    .. math:: f(x) = (\\max(0, x), \\max(0, -x)),

    the two halves concatenated along ``axis``.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of shape :math:`(s_1, ..., s_N)`, float.
        axis (int): Axis along which the two halves are concatenated.

    Returns:
        ~kusari.Variable: Output whose ``axis`` dimension is twice that of ``x``.

    >>> import numpy, kusari.functions as F
    >>> F.crelu(numpy.array([[-1, 0], [2, -3]], numpy.float32), axis=1).array
    array([[0., 0., 1., 0.],
           [2., 0., 0., 3.]], dtype=float32)
    """
    return CReLU(axis=axis).apply((x,))[0]
