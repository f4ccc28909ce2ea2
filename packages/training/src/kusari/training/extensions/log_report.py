"""LogReport: aggregate the observations and write them as a JSON log."""
import json
import os

from kusari import serializer as serializer_module
from kusari.training import _atomic
from kusari.training import _summary
from kusari.training import extension
from kusari.training import util as trigger_util


class LogReport(extension.Extension):
    """Trainer extension to output the accumulated results to a log file.

    Every iteration it adds the observation (or only ``keys``) to a summary; when
    ``trigger`` fires it appends the means, together with ``epoch``,
    ``iteration`` and ``elapsed_time``, to :attr:`log` and writes the whole log as
    a JSON list to ``<trainer.out>/<filename>`` (atomically).

    Args:
        keys (list of str): Keys to aggregate (all when ``None``).
        trigger: When to emit a log entry (``(1, 'epoch')``).
        postprocess (callable): Called with each entry (a dict) before it is
            appended; it may edit it.
        filename (str): Name of the log file, formatted with the entry's values
            (``'log'``); ``None`` (given as ``log_name=None``) disables the file.
        log_name (str): Chainer's older name of ``filename`` (keyword only).

    >>> from kusari.training import extensions
    >>> extensions.LogReport(trigger=(100, 'iteration')).log
    []
    """

    def __init__(self, keys=None, trigger=(1, 'epoch'), postprocess=None,
                 filename=None, **kwargs):
        log_name = kwargs.pop('log_name', 'log')
        if kwargs:
            raise TypeError('LogReport: unexpected keyword argument(s) {}'.format(
                ', '.join(sorted(kwargs))))
        self._keys = keys
        self._trigger = trigger_util.get_trigger(trigger)
        self._postprocess = postprocess
        self._log = []
        self._log_name = log_name if filename is None else filename
        self._init_summary()

    def __call__(self, trainer):
        """Accumulate the observation; emit a log entry when the trigger fires."""
        keys = self._keys
        observation = trainer.observation
        if keys is None:
            self._summary.add(observation)
        else:
            self._summary.add({k: observation[k] for k in keys if k in observation})
        if not self._trigger(trainer):
            return
        stats = self._summary.compute_mean()
        entry = {name: float(value) for name, value in stats.items()}
        updater = trainer.updater
        entry['epoch'] = updater.epoch
        entry['iteration'] = updater.iteration
        entry['elapsed_time'] = trainer.elapsed_time
        if self._postprocess is not None:
            self._postprocess(entry)
        self._log.append(entry)
        if self._log_name is not None:
            path = os.path.join(trainer.out, self._log_name.format(**entry))
            with _atomic.open_atomic(path, 'w') as f:
                json.dump(self._log, f, indent=4)
        self._init_summary()

    @property
    def log(self):
        """The list of emitted entries (dicts)."""
        return self._log

    def serialize(self, serializer):
        """Save or load the trigger, the running summary and the log (as JSON)."""
        if hasattr(self._trigger, 'serialize'):
            self._trigger.serialize(serializer['_trigger'])
        self._summary.serialize(serializer['_summary'])
        if isinstance(serializer, serializer_module.Serializer):
            serializer('_log', json.dumps(self._log))
        else:
            self._log = json.loads(serializer('_log', json.dumps(self._log)))

    def _init_summary(self):
        self._summary = _summary.FastDictSummary()
