"""BestValueTrigger, MaxValueTrigger, MinValueTrigger: fire on a new best value."""
from kusari import reporter
from kusari.training import util


class BestValueTrigger:
    """Trigger that fires when a monitored value reaches a new best.

    Every call accumulates ``observation[key]``; when ``trigger`` fires, the mean
    since the previous check is compared with the best so far by
    ``compare(best, new)`` (``True`` means ``new`` is better).

    Args:
        key (str): The observation key to monitor.
        compare (callable): ``compare(best_value, new_value) -> bool``.
        trigger: When to check (a trigger or ``(period, unit)``).

    Raises:
        KeyError: at a check, ``key`` was never observed.
    """

    def __init__(self, key, compare, trigger=(1, 'epoch')):
        self._key = key
        self._best_value = None
        self._interval_trigger = util.get_trigger(trigger)
        self._init_summary()
        self._compare = compare

    def __call__(self, trainer):
        """Accumulate the value; at a check, return True on a new best."""
        observation = trainer.observation
        summary = self._summary
        key = self._key
        if key in observation:
            summary.add({key: observation[key]})
        if not self._interval_trigger(trainer):
            return False
        stats = summary.compute_mean()
        if key not in stats:
            raise KeyError('Key "{}" not found in the observation (current available '
                           'keys are {})'.format(key, sorted(stats.keys())))
        value = float(stats[key])
        self._init_summary()
        if self._best_value is None or self._compare(self._best_value, value):
            self._best_value = value
            return True
        return False

    def serialize(self, serializer):
        """Save or load the interval trigger, the running summary and the best."""
        from kusari.training import _summary
        self._interval_trigger.serialize(serializer['interval_trigger'])
        _summary.serialize_dict_summary(self._summary, serializer['summary'])
        best = serializer('best_value', self._best_value)
        self._best_value = None if best is None else float(best)

    def _init_summary(self):
        self._summary = reporter.DictSummary()


class MaxValueTrigger(BestValueTrigger):
    """Trigger that fires when ``observation[key]`` reaches a new maximum.

    Args:
        key (str): The observation key to monitor.
        trigger: When to check (a trigger or ``(period, unit)``).
    """

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, lambda max_value, new_value: new_value > max_value,
                         trigger)


class MinValueTrigger(BestValueTrigger):
    """Trigger that fires when ``observation[key]`` reaches a new minimum.

    Args:
        key (str): The observation key to monitor.
        trigger: When to check (a trigger or ``(period, unit)``).
    """

    def __init__(self, key, trigger=(1, 'epoch')):
        super().__init__(key, lambda min_value, new_value: new_value < min_value,
                         trigger)
