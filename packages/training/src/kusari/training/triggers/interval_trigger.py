"""IntervalTrigger: fire every ``period`` epochs or iterations."""
import warnings

from kusari.training.triggers import _unit


class IntervalTrigger:
    """Trigger that fires once every ``period`` epochs or iterations.

    With ``unit='epoch'`` it fires when the updater's ``epoch_detail`` crosses a
    multiple of ``period`` (so fractional periods such as ``0.5`` work).

    Args:
        period (int or float): Length of the interval.
        unit (str): ``'epoch'`` or ``'iteration'``.

    Raises:
        ValueError: ``unit`` is not ``'epoch'`` or ``'iteration'``.

    >>> from kusari.training.triggers import IntervalTrigger
    >>> IntervalTrigger(5, 'iteration').get_training_length()
    (5, 'iteration')
    """

    def __init__(self, period, unit):
        _unit.check_unit(unit, 'IntervalTrigger')
        self.period = period
        self.unit = unit
        self._previous_iteration = 0
        self._previous_epoch_detail = 0.
        self.count = 0   # kept for compatibility with Chainer

    def __call__(self, trainer):
        """Return True when the interval has elapsed since the previous call."""
        updater = trainer.updater
        if self.unit == 'epoch':
            epoch_detail = updater.epoch_detail
            previous = self._previous_epoch_detail
            if previous < 0:    # unknown (an old snapshot): ask the updater
                previous = updater.previous_epoch_detail
            self.count = epoch_detail // self.period
            fire = previous // self.period != epoch_detail // self.period
        else:
            iteration = updater.iteration
            previous = self._previous_iteration
            if previous < 0:
                previous = iteration - 1
            fire = previous // self.period != iteration // self.period
        self._previous_iteration = updater.iteration
        if hasattr(updater, 'epoch_detail'):
            self._previous_epoch_detail = updater.epoch_detail
        return fire

    def serialize(self, serializer):
        """Save or load the previous iteration and epoch detail."""
        try:
            self._previous_iteration = serializer(
                'previous_iteration', self._previous_iteration)
        except KeyError:
            warnings.warn('The previous value of iteration is not saved. '
                          'IntervalTrigger guesses it using current iteration. '
                          'If this trigger is not called at every iteration, it '
                          'may not work correctly.')
            self._previous_iteration = -1
        try:
            self._previous_epoch_detail = serializer(
                'previous_epoch_detail', self._previous_epoch_detail)
        except KeyError:
            warnings.warn('The previous value of epoch_detail is not saved. '
                          'IntervalTrigger uses the value of '
                          'trainer.updater.previous_epoch_detail. '
                          'If this trigger is not called at every iteration, it '
                          'may not work correctly.')
            self._previous_epoch_detail = -1.

    def get_training_length(self):
        """Return ``(period, unit)``."""
        return self.period, self.unit

    def __str__(self):
        return '{}({}, {!r})'.format(type(self).__name__, self.period, self.unit)

    __repr__ = __str__
