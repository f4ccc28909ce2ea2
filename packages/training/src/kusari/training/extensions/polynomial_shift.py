"""PolynomialShift: decay an optimizer hyperparameter polynomially."""
from kusari.training.extensions import _shift


class PolynomialShift(_shift._Shift):
    """Trainer extension to polynomially shift an optimizer attribute.

    After the ``t``-th call, ``value = init * (1 - t / max_count) ** rate``
    (the factor is 0 from ``max_count`` on), limited by ``target``.

    Args:
        attr (str): Name of the optimizer attribute.
        rate (float): The exponent.
        max_count (int): Number of calls until the factor reaches 0.
        init (float): Initial value (the optimizer's current value when None).
        target (float): Limit of the value.
        optimizer: The optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, rate, max_count, init=None, target=None,
                 optimizer=None):
        super().__init__(attr, optimizer)
        self._rate = rate
        self._max_count = max_count
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
        decay = max(1 - self._t / self._max_count, 0)
        if decay == 0 and self._rate < 0:
            value = self._target if self._target is not None else float('inf')
        else:
            value = self._init * decay ** self._rate
        value = _shift.clamp(value, self._target, self._rate < 0)
        self._update_value(self._get_optimizer(trainer), value)
