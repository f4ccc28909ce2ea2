"""InverseShift: shift an optimizer hyperparameter as ``init * (1 + gamma t) ** -power``."""
from kusari.training.extensions import _shift


class InverseShift(_shift._Shift):
    """Trainer extension to shift an optimizer attribute inversely.

    After the ``t``-th call, ``value = init * (1 + gamma * t) ** (-power)``,
    limited by ``target``.

    Args:
        attr (str): Name of the optimizer attribute.
        gamma (float): Coefficient of ``t`` (>= 0).
        power (float): The exponent.
        init (float): Initial value (the optimizer's current value when None).
        target (float): Limit of the value.
        optimizer: The optimizer (the updater's ``'main'`` one when None).

    Raises:
        ValueError: ``gamma`` is negative.
    """

    def __init__(self, attr, gamma, power, init=None, target=None, optimizer=None):
        super().__init__(attr, optimizer)
        if gamma < 0:
            raise ValueError('InverseShift does not support negative gamma, got '
                             '{}'.format(gamma))
        self._gamma = gamma
        self._power = power
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
        value = self._init * (1 + self._gamma * self._t) ** (-self._power)
        value = _shift.clamp(value, self._target, self._power < 0)
        self._update_value(self._get_optimizer(trainer), value)
