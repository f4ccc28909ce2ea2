"""MultistepShift: multiply an optimizer hyperparameter by gamma at given calls."""
from kusari.training.extensions import _shift


class MultistepShift(_shift._Shift):
    """Trainer extension to shift an optimizer attribute at given call counts.

    After the ``t``-th call, ``value = init * gamma ** k`` where ``k`` is the
    number of entries of ``step_value`` that are ``<= t``.

    Args:
        attr (str): Name of the optimizer attribute.
        gamma (float): The factor per step.
        step_value (list of int): Call counts at which the value changes.
        init (float): Initial value (the optimizer's current value when None).
        optimizer: The optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, gamma, step_value, init, optimizer=None):
        super().__init__(attr, optimizer)
        self._gamma = gamma
        self._step_value = sorted(step_value)
        self._init = init

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
        k = sum(1 for s in self._step_value if s <= self._t)
        self._update_value(self._get_optimizer(trainer),
                           self._init * self._gamma ** k)
