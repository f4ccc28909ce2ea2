"""OnceTrigger: fire only once (optionally again after resuming)."""


class OnceTrigger:
    """Trigger that fires at its first call only.

    Args:
        call_on_resume (bool): Fire once more at the first call after resuming from
            a snapshot.

    >>> from kusari.training.triggers import OnceTrigger
    >>> t = OnceTrigger()
    >>> t(None), t(None), t.finished
    (True, False, True)
    """

    def __init__(self, call_on_resume=False):
        self._flag_first = True
        self._flag_resumed = call_on_resume

    @property
    def finished(self):
        """True once the trigger will not fire any more."""
        return not (self._flag_first or self._flag_resumed)

    def __call__(self, trainer):
        """Return True at the first call."""
        fire = not self.finished
        self._flag_resumed = False
        self._flag_first = False
        return fire

    def serialize(self, serializer):
        """Save or load whether the trigger already fired."""
        try:
            self._flag_first = bool(serializer('_flag_first', self._flag_first))
        except KeyError:
            import warnings
            warnings.warn('The flag is not saved. OnceTrigger guesses it is not the '
                          'first call when resumed. If this trigger is resumed before '
                          'its first call, it may not work correctly.')
            self._flag_first = False
