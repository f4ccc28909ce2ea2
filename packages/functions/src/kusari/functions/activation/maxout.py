"""Maxout unit."""
from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.functions.activation import _common


class _MaxOverAxis(function_node.FunctionNode):
    """Maximum over one axis; the gradient goes to every element equal to the max."""

    def __init__(self, axis):
        self.axis = axis

    @property
    def label(self):
        return 'Maxout'

    def forward(self, inputs):
        x, = inputs
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        xp = backend.get_array_module(x)
        return xp.asarray(x.max(axis=self.axis, keepdims=True)),

    def _mask(self):
        x = self.inputs[0].data
        y = self.output_data()[0]
        return (x == y).astype(x.dtype)

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        shape = self.inputs[0].shape
        return _core.broadcast_to(gy, shape) * self._mask(),

    def backward_array(self, indexes, grad_outputs):
        return grad_outputs[0] * self._mask(),


def maxout(x, pool_size, axis=1):
    """Maxout activation function.

    The ``axis`` dimension of ``x``, of size :math:`M \\cdot K` with
    :math:`K` = ``pool_size``, is split into :math:`M` groups of :math:`K`
    consecutive channels and each group is reduced to its maximum:

    .. math:: y_{i} = \\max_{k} x_{i K + k}.

    Args:
        x (:class:`~kusari.Variable` or :class:`numpy.ndarray` or
            :class:`cupy.ndarray`): Input of shape :math:`(s_1, ..., s_N)`.
        pool_size (int): Number :math:`K` of channels pooled into one output.
        axis (int): Axis to pool over; ``x.shape[axis]`` must be divisible by
            ``pool_size``.

    Returns:
        ~kusari.Variable: Output whose ``axis`` dimension is
        ``x.shape[axis] // pool_size``.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 5., 3., 2.]], numpy.float32)
    >>> F.maxout(x, 2).array
    array([[5., 3.]], dtype=float32)
    """
    if not isinstance(pool_size, int) or isinstance(pool_size, bool) or pool_size <= 0:
        raise ValueError('maxout: pool_size must be a positive integer, got %r'
                         % (pool_size,))
    x = _core.as_variable(x)
    shape = x.shape
    ax = _common.normalize_axis('maxout', axis, len(shape))
    if shape[ax] % pool_size != 0:
        raise _common.invalid('maxout', 'x.shape[axis] % pool_size == 0',
                              'x.shape[axis]=%d, pool_size=%d' % (shape[ax], pool_size))
    grouped = shape[:ax] + (shape[ax] // pool_size, pool_size) + shape[ax + 1:]
    y = _MaxOverAxis(ax + 1).apply((_core.reshape(x, grouped),))[0]
    return _core.reshape(y, shape[:ax] + (shape[ax] // pool_size,) + shape[ax + 1:])
