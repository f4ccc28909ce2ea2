"""WarmupShift: move an optimizer hyperparameter linearly to its value, then keep it."""
from kusari.training.extensions import _shift


class WarmupShift(_shift._Shift):
    """Trainer extension for a linear warm-up of an optimizer attribute.

    The value starts at ``warmup_start`` and after the ``t``-th call is
    ``warmup_start + (init - warmup_start) * t / warmup_iter`` until
    ``warmup_iter`` calls, then ``init``.

    Args:
        attr (str): Name of the optimizer attribute.
        warmup_start (float): The first value.
        warmup_iter (int): Number of calls of the warm-up.
        init (float): The value after the warm-up (the optimizer's current value
            when None).
        optimizer: The optimizer (the updater's ``'main'`` one when None).
    """

    def __init__(self, attr, warmup_start, warmup_iter, init=None, optimizer=None):
        super().__init__(attr, optimizer)
        self._warmup_start = warmup_start
        self._warmup_iter = warmup_iter
        self._init = init

    def initialize(self, trainer):
        """Set the initial (or resumed) value on the optimizer."""
        optimizer = self._get_optimizer(trainer)
        if self._init is None:
            self._init = getattr(optimizer, self._attr)
        value = self._last_value if self._last_value is not None \
            else self._warmup_start
        self._update_value(optimizer, value)

    def __call__(self, trainer):
        """Advance one step."""
        self._t += 1
        if self._t < self._warmup_iter:
            value = self._warmup_start + (self._init - self._warmup_start) * \
                self._t / self._warmup_iter
        else:
            value = self._init
        self._update_value(self._get_optimizer(trainer), value)
