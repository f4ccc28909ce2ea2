"""Log-sum-exp reduction: :func:`logsumexp`."""
from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


class LogSumExp(FunctionNode):
    """``log(sum(exp(x)))`` over the given axes, computed stably (max subtracted).

    Args:
        axis (None, int or tuple of int): axes to reduce (all when ``None``).
    """

    def __init__(self, axis=None):
        self.axis = _util.normalize_axis('LogSumExp', axis)

    def forward(self, inputs):
        x, = inputs
        _util.check_float('LogSumExp', 'x', x)
        _util.check_axes('LogSumExp', self.axis, x.ndim)
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        xp = _core.get_array_module(x)
        m = x.max(axis=self.axis, keepdims=True)
        if xp.issubdtype(m.dtype, xp.floating):
            # an all -inf slice would give nan from (-inf) - (-inf)
            m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
        e = xp.exp(x - m)
        s = e.sum(axis=self.axis)
        with _errstate(xp):
            y = xp.log(s) + m.reshape(s.shape)
        return _util.force_array(y, xp, x.dtype),

    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        shape = _util.keepdims_shape(x.shape, self.axis)
        gy = _util.broadcast_to(_util.reshape(gy, shape), x.shape)
        y = _util.broadcast_to(_util.reshape(y, shape), x.shape)
        return gy * _util.exp(x - y),

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        y = self.get_retained_output_arrays()[0]
        gy, = grad_outputs
        shape = _util.keepdims_shape(x.shape, self.axis)
        xp = _core.get_array_module(x)
        return gy.reshape(shape) * xp.exp(x - y.reshape(shape)),


class _errstate:
    def __init__(self, xp):
        self.xp = xp
        self.cm = None

    def __enter__(self):
        import numpy
        if self.xp is numpy:
            self.cm = numpy.errstate(divide='ignore')
            self.cm.__enter__()

    def __exit__(self, *exc):
        if self.cm is not None:
            self.cm.__exit__(*exc)
        return False


def logsumexp(x, axis=None):
    """Log-sum-exp of array elements over a given axis.

    .. math:: y = \\log \\sum_j \\exp(x_j)

    Args:
        x (Variable or array): float array of any shape.
        axis (None, int or tuple of int): axes to reduce (all when ``None``).

    Returns:
        Variable: the log-sum-exp values.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.log(numpy.array([[1., 3.], [2., 2.]], numpy.float32))
    >>> numpy.exp(F.logsumexp(x, axis=1).array)
    array([4., 4.], dtype=float32)
    """
    return LogSumExp(axis).apply((x,))[0]
