"""ExponentialShift: multiply an optimizer hyperparameter by a rate every call."""
from kusari.training.extensions import _shift


class ExponentialShift(_shift._Shift):
    """Trainer extension to exponentially shift an optimizer attribute.

    After the ``t``-th call, ``optimizer.<attr> = init * rate ** t``, limited by
    ``target`` (the value stops there).  Use it with a trigger, e.g.
    ``trainer.extend(ExponentialShift('lr', 0.5), trigger=(10, 'epoch'))``.

    Args:
        attr (str): Name of the optimizer attribute (``'lr'``, ``'alpha'``...).
        rate (float): The factor per call (>= 0).
        init (float): Initial value (the optimizer's current value when None).
        target (float): Limit of the value.
        optimizer: The optimizer (the updater's ``'main'`` one when None).

    Raises:
        ValueError: ``rate`` is negative.
    """

    def __init__(self, attr, rate, init=None, target=None, optimizer=None):
        super().__init__(attr, optimizer)
        if rate < 0:
            raise ValueError('ExponentialShift does not support negative rate, got '
                             '{}'.format(rate))
        self._rate = rate
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
        value = self._init * self._rate ** self._t
        value = _shift.clamp(value, self._target, self._rate > 1)
        self._update_value(self._get_optimizer(trainer), value)
