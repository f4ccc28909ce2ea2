"""LinearShift: move an optimizer hyperparameter linearly between two values."""
from kusari.training.extensions import _shift


class LinearShift(_shift._Shift):
    """Trainer extension to change an optimizer attribute linearly.

    The value is ``value_range[0]`` until call ``time_range[0]``, then moves
    linearly to ``value_range[1]``, reached at call ``time_range[1]``.

    Args:
        attr (str): Name of the optimizer attribute.
        value_range (tuple of float): ``(first, last)`` values.
        time_range (tuple of int): ``(start, end)`` call counts.
        optimizer: The optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, value_range, time_range, optimizer=None):
        super().__init__(attr, optimizer)
        self._value_range = value_range
        self._time_range = time_range

    def initialize(self, trainer):
        """Set the initial (or resumed) value on the optimizer."""
        optimizer = self._get_optimizer(trainer)
        value = self._last_value if self._last_value is not None \
            else self._compute_next_value()
        self._update_value(optimizer, value)

    def __call__(self, trainer):
        """Advance one step."""
        self._t += 1
        self._update_value(self._get_optimizer(trainer), self._compute_next_value())

    def _compute_next_value(self):
        t1, t2 = self._time_range
        v1, v2 = self._value_range
        if self._t <= t1:
            return v1
        if self._t >= t2:
            return v2
        rate = (self._t - t1) / (t2 - t1)
        return v1 + rate * (v2 - v1)
