"""StepShift: multiply an optimizer hyperparameter by gamma every ``step`` calls."""
from kusari.training.extensions import _shift


class StepShift(_shift._Shift):
    """Trainer extension to shift an optimizer attribute in steps.

    After the ``t``-th call, ``value = init * gamma ** floor(t / step)``, limited
    by ``target``.

    Args:
        attr (str): Name of the optimizer attribute.
        gamma (float): The factor per step.
        step (int): Calls per step.
        init (float): Initial value (the optimizer's current value when None).
        target (float): Limit of the value.
        optimizer: The optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, gamma, step, init=None, target=None, optimizer=None):
        super().__init__(attr, optimizer)
        self._gamma = gamma
        self._step = step
        self._init = init
        self._target = target

    def initialize(self, trainer):
        """Set the initial (or resumed) value on the optimizer."""
        optimizer = self._get_optimizer(trainer)
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
        value = self._last_value if self._last_value is not None else self._init
        self._update_value(optimizer, value)

    def __call__(self, trainer):
        """Advance one step."""
        self._t += 1
        value = self._init * self._gamma ** (self._t // self._step)
        value = _shift.clamp(value, self._target, self._gamma > 1)
        self._update_value(self._get_optimizer(trainer), value)
