"""ManualScheduleTrigger: fire at given epochs or iterations."""
import warnings

from kusari.training.triggers import _unit


class ManualScheduleTrigger:
    """Trigger that fires at the given points (epochs or iterations).

    Args:
        points (int, float or list of them): When to fire.
        unit (str): ``'epoch'`` or ``'iteration'``.

    Attributes:
        finished (bool): True once the last point has passed.

    Raises:
        ValueError: ``unit`` is not ``'epoch'`` or ``'iteration'``.

    >>> from kusari.training.triggers import ManualScheduleTrigger
    >>> ManualScheduleTrigger([2, 5], 'iteration').points
    [2, 5]
    """

    def __init__(self, points, unit):
        _unit.check_unit(unit, 'ManualScheduleTrigger')
        self.points = points if isinstance(points, list) else [points]
        self.unit = unit
        self.finished = False
        self._previous_iteration = 0
        self._previous_epoch_detail = 0.
        self._finished_is_tmp = False

    def __call__(self, trainer):
        """Return True when a point was crossed since the previous call."""
        updater = trainer.updater
        if self.unit == 'epoch':
            current = updater.epoch_detail
            previous = self._previous_epoch_detail
            if previous < 0:
                previous = updater.previous_epoch_detail
        else:
            current = updater.iteration
            previous = self._previous_iteration
            if previous < 0:
                previous = current - 1
        fire = any(previous < p <= current for p in self.points)
        if self._finished_is_tmp:
            self._finished_is_tmp = False
            if current >= max(self.points):
                self.finished = True
        if fire and current >= max(self.points):
            self.finished = True
        self._previous_iteration = updater.iteration
        if hasattr(updater, 'epoch_detail'):
            self._previous_epoch_detail = updater.epoch_detail
        return fire

    def serialize(self, serializer):
        """Save or load the previous position and ``finished``."""
        try:
            self._previous_iteration = serializer(
                'previous_iteration', self._previous_iteration)
        except KeyError:
            warnings.warn('The previous value of iteration is not saved. '
                          'ManualScheduleTrigger guesses it using current '
                          'iteration.')
            self._previous_iteration = -1
        try:
            self._previous_epoch_detail = serializer(
                'previous_epoch_detail', self._previous_epoch_detail)
        except KeyError:
            warnings.warn('The previous value of epoch_detail is not saved. '
                          'ManualScheduleTrigger uses the value of '
                          'trainer.updater.previous_epoch_detail.')
            self._previous_epoch_detail = -1.
        try:
            self.finished = bool(serializer('finished', self.finished))
        except KeyError:
            warnings.warn('The flag of finished is not saved; ManualScheduleTrigger '
                          'guesses it from the current position.')
            self.finished = False
            self._finished_is_tmp = True
