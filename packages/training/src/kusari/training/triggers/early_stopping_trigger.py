"""EarlyStoppingTrigger: stop training when a monitored value stops improving."""
import operator
import warnings

from kusari import reporter
from kusari.training import util


class EarlyStoppingTrigger:
    """Trigger for early stopping (use it as the trainer's ``stop_trigger``).

    It fires when ``monitor`` has not improved for ``patience`` checks in a row, or
    when ``max_trigger`` fires.

    Args:
        check_trigger: When to check the monitored value.
        monitor (str): The observation key to monitor.
        patience (int): Number of checks without improvement before stopping
            (3 by default).
        mode (str): ``'max'``, ``'min'`` or ``'auto'`` (max if ``'accuracy'`` is in
            ``monitor``, min otherwise).
        verbose (bool): Print when stopping.
        max_trigger: Upper bound of the training length (``(100, 'epoch')``).

    >>> from kusari.training.triggers import EarlyStoppingTrigger
    >>> EarlyStoppingTrigger(monitor='validation/main/loss').get_training_length()
    (100, 'epoch')
    """

    def __init__(self, check_trigger=(1, 'epoch'), monitor='main/loss',
                 patience=None, mode='auto', verbose=False,
                 max_trigger=(100, 'epoch'), **kwargs):
        patients = kwargs.pop('patients', None)
        if kwargs:
            raise TypeError('EarlyStoppingTrigger: unexpected keyword argument(s) '
                            '{}'.format(', '.join(sorted(kwargs))))
        if patients is not None:
            if patience is not None:
                raise TypeError('EarlyStoppingTrigger: give patience, not both '
                                'patience and patients')
            patience = patients
        self.count = 0
        self.patience = 3 if patience is None else patience
        self.monitor = monitor
        self.verbose = verbose
        self.already_warning = False
        self._max_trigger = util.get_trigger(max_trigger)
        self._interval_trigger = util.get_trigger(check_trigger)
        self._init_summary()
        if mode == 'max':
            self._compare = operator.gt
        elif mode == 'min':
            self._compare = operator.lt
        elif mode == 'auto':
            self._compare = operator.gt if 'accuracy' in monitor else operator.lt
        else:
            raise ValueError("EarlyStoppingTrigger: mode must be 'max', 'min' or "
                             "'auto', but got {!r}".format(mode))
        self.best = float('-inf') if self._compare is operator.gt else float('inf')
        if verbose:
            print('early stopping: operator is {}'.format(
                'greater' if self._compare is operator.gt else 'less'))

    def __call__(self, trainer):
        """Return True when training should stop."""
        observation = trainer.observation
        if self.monitor in observation:
            self._summary.add({self.monitor: observation[self.monitor]})
        if self._max_trigger(trainer):
            return True
        if not self._interval_trigger(trainer):
            return False
        if self.monitor not in observation:
            if not self.already_warning:
                warnings.warn('{} is not in observation'.format(self.monitor))
                self.already_warning = True
            return False
        stat = self._summary.compute_mean()
        current = float(stat[self.monitor])
        self._init_summary()
        if self._compare(current, self.best):
            self.best = current
            self.count = 0
        else:
            self.count += 1
        if self._stop_condition():
            if self.verbose:
                print('Epoch {}: early stopping'.format(trainer.updater.epoch))
            return True
        return False

    def _stop_condition(self):
        return self.count >= self.patience

    def _init_summary(self):
        self._summary = reporter.DictSummary()

    def get_training_length(self):
        """The length of ``max_trigger``."""
        return self._max_trigger.get_training_length()

    def serialize(self, serializer):
        """Save or load the count, the best value, the summary and the triggers."""
        from kusari.training import _summary
        self.count = int(serializer('count', self.count))
        self.best = float(serializer('best', self.best))
        _summary.serialize_dict_summary(self._summary, serializer['summary'])
        for name, trig in (('max_trigger', self._max_trigger),
                           ('interval_trigger', self._interval_trigger)):
            if hasattr(trig, 'serialize'):
                trig.serialize(serializer[name])
