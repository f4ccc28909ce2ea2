"""Helpers of the training loop: :func:`get_trigger`."""
from kusari.training.triggers import interval_trigger


def _never_fire_trigger(trainer):
    return False


def get_trigger(trigger):
    """Return a trigger object from a trigger specification.

    Args:
        trigger: A callable (returned as it is), ``None`` (a trigger that never
            fires) or a tuple ``(period, unit)`` with ``unit`` ``'epoch'`` or
            ``'iteration'`` (an :class:`~kusari.training.triggers.IntervalTrigger`).

    Returns:
        A callable ``trigger(trainer) -> bool``.

    Raises:
        ValueError: the unit is neither ``'epoch'`` nor ``'iteration'``.
        TypeError: ``trigger`` is none of the above.

    >>> from kusari.training import get_trigger
    >>> get_trigger((2, 'epoch'))
    IntervalTrigger(2, 'epoch')
    """
    if callable(trigger):
        return trigger
    if trigger is None:
        return _never_fire_trigger
    if isinstance(trigger, (tuple, list)) and len(trigger) == 2:
        return interval_trigger.IntervalTrigger(*trigger)
    raise TypeError(
        'get_trigger: a trigger must be a callable, None or a (period, unit) '
        'tuple, but got {!r}'.format(trigger))
