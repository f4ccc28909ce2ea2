"""MicroAverage: report a ratio of two accumulated observations."""
from kusari import reporter
from kusari.training import extension
from kusari.training import util as trigger_util


class MicroAverage(extension.Extension):
    """Trainer extension for the micro-average of a ratio.

    It sums ``observation[numerator_key]`` and ``observation[denominator_key]``
    over iterations and, when ``trigger`` fires, reports
    ``sum(numerators) / sum(denominators)`` as ``result_key`` (e.g. the accuracy
    over all examples from per-batch counts of correct and total examples).

    Args:
        numerator_key (str): Key of the numerator.
        denominator_key (str): Key of the denominator.
        result_key (str): Key of the reported ratio.
        trigger: When to report (``(1, 'epoch')``).
    """

    priority = extension.PRIORITY_EDITOR

    def __init__(self, numerator_key, denominator_key, result_key,
                 trigger=(1, 'epoch')):
        self._trigger = trigger_util.get_trigger(trigger)
        self._numerator_key = numerator_key
        self._denominator_key = denominator_key
        self._result_key = result_key
        self._numerator = 0
        self._denominator = 0

    def __call__(self, trainer):
        """Accumulate; report the ratio when the trigger fires."""
        observation = trainer.observation
        if not (self._numerator_key in observation and
                self._denominator_key in observation):
            return
        self._numerator += observation[self._numerator_key]
        self._denominator += observation[self._denominator_key]
        if self._trigger(trainer):
            result = float(self._numerator) / float(self._denominator)
            self._numerator = 0
            self._denominator = 0
            reporter.report({self._result_key: result})

    def serialize(self, serializer):
        """Save or load the trigger and the running sums."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        self._numerator = serializer('_numerator', self._numerator)
        self._denominator = serializer('_denominator', self._denominator)
