"""Zoneout (``F.zoneout``)."""
from kusari import _core
from kusari import backend
from kusari import configuration
from kusari._core import FunctionNode
from kusari.functions.util import _ops

_NAME = 'zoneout'


class Zoneout(FunctionNode):
    """``h * flag_h + x * flag_x`` with ``flag_x = rand >= ratio``, ``flag_h = !flag_x``."""

    def __init__(self, zoneout_ratio):
        self.zoneout_ratio = zoneout_ratio

    def forward(self, inputs):
        h, x = inputs
        _ops.check_float(_NAME, 'h', h)
        _ops.check_same_dtype(_NAME, ('h', 'x'), (h, x))
        _ops.check_same_shape(_NAME, ('h', 'x'), (h, x))
        xp = backend.get_array_module(x)
        flag_x = xp.random.rand(*x.shape) >= self.zoneout_ratio
        self.flag_x = flag_x.astype(x.dtype)
        self.flag_h = (~flag_x).astype(x.dtype)
        return h * self.flag_h + x * self.flag_x,

    def backward(self, indexes, gy):
        g = gy[0]
        return g * self.flag_h, g * self.flag_x

    def backward_array(self, indexes, gy):
        g = gy[0]
        return g * self.flag_h, g * self.flag_x


def zoneout(h, x, ratio=.5):
    """Zoneout: keep each element of the previous state ``h`` with probability
    ``ratio`` instead of taking the new value ``x``.  Outside training
    (``config.train`` False) ``x`` is returned.

    Args:
        h (Variable or array): the previous state, float.
        x (Variable or array): the new state, same shape and dtype.
        ratio (float): the zoneout ratio.

    Returns:
        Variable: the mixed state.

    >>> import numpy, kusari.functions as F
    >>> h = numpy.zeros(3, numpy.float32)
    >>> x = numpy.ones(3, numpy.float32)
    >>> F.zoneout(h, x, ratio=0.0).array
    array([1., 1., 1.], dtype=float32)
    """
    if configuration.config.train:
        return Zoneout(ratio).apply((h, x))[0]
    return _core.as_variable(x)
