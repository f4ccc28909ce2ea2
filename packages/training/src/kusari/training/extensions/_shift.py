"""The common part of the hyperparameter shift extensions."""
import numpy

from kusari.training import extension


class _Shift(extension.Extension):
    # Subclasses define _compute(), the value after ``self._t`` calls; the value is
    # set on the optimizer at initialize (t = 0 or the resumed t) and every call.

    def __init__(self, attr, optimizer=None):
        self._attr = attr
        self._optimizer = optimizer
        self._t = 0
        self._last_value = None

    def _get_optimizer(self, trainer):
        return self._optimizer or trainer.updater.get_optimizer('main')

    def _update_value(self, optimizer, value):
        setattr(optimizer, self._attr, value)
        self._last_value = value

    def serialize(self, serializer):
        """Save or load the call count ``_t`` and the last value."""
        self._t = int(serializer('_t', self._t))
        last = serializer('_last_value', self._last_value)
        if isinstance(last, numpy.ndarray):
            last = last.item()
        self._last_value = last


def clamp(value, target, increasing):
    """``value`` limited by ``target`` in the direction it moves (sign-safe)."""
    if target is None:
        return value
    if increasing:
        if value / target > 1:
            return target
    elif value / target < 1:
        return target
    return value
