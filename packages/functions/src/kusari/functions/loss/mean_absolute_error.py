"""Mean absolute error (``F.mean_absolute_error``)."""
import numpy

from kusari import _core
from kusari import backend
from kusari._core import FunctionNode
from kusari.functions.loss import _common


class MeanAbsoluteError(FunctionNode):
    """``sum(|x0 - x1|) / x0.size``."""

    def forward(self, inputs):
        x0, x1 = inputs
        _common.check_float_same('mean_absolute_error', ('x0', 'x1'), inputs)
        xp = backend.get_array_module(x0)
        diff = x0 - x1
        self._sign = xp.sign(diff)
        # float16 sums overflow (65504) long before the mean does: sum in float32
        acc = numpy.float32 if diff.dtype == numpy.float16 else None
        s = abs(diff).sum(dtype=acc) / diff.dtype.type(max(diff.size, 1))
        return xp.asarray(s, dtype=x0.dtype),

    def backward(self, indexes, gy):
        shape = self.inputs[0].shape
        g = _core.broadcast_to(gy[0], shape) * (1.0 / max(self._sign.size, 1))
        gx0 = g * self._sign
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)

    def backward_array(self, indexes, gy):
        c = gy[0] * self._sign.dtype.type(1.0 / max(self._sign.size, 1))
        gx0 = self._sign * c
        return tuple(gx0 if i == 0 else -gx0 for i in indexes)


def mean_absolute_error(x0, x1):
    """Mean absolute error ``sum(|x0 - x1|) / x0.size``.

    Args:
        x0 (Variable or array): float array of any shape.
        x1 (Variable or array): array of the same shape and dtype.

    Returns:
        Variable: a 0-dim array.

    >>> import numpy, kusari.functions as F
    >>> F.mean_absolute_error(numpy.array([1., 2.]), numpy.array([0., 4.])).array
    array(1.5)
    """
    return MeanAbsoluteError().apply((x0, x1))[0]
