"""TimeTrigger: fire every ``period`` seconds of training time."""


class TimeTrigger:
    """Trigger that fires once every ``period`` seconds of ``trainer.elapsed_time``.

    Args:
        period (float): Interval in seconds.

    >>> from kusari.training.triggers import TimeTrigger
    >>> TimeTrigger(60.0)._next_time
    60.0
    """

    def __init__(self, period):
        self._period = period
        self._next_time = self._period

    def __call__(self, trainer):
        """Return True when the next multiple of ``period`` has passed."""
        if self._next_time < trainer.elapsed_time:
            self._next_time += self._period
            return True
        return False

    def serialize(self, serializer):
        """Save or load the time of the next firing."""
        self._next_time = serializer('next_time', self._next_time)
