"""Trainer: the training loop of Chainer (``chainer.training.Trainer``)."""
import collections
import os
import sys
import time
import traceback

from kusari import reporter as reporter_module
from kusari import serializer as serializer_module
from kusari.training import extension as extension_module
from kusari.training import util as trigger_util
from kusari.training.triggers import interval_trigger


def _fires_every_iteration(trigger):
    return (type(trigger) is interval_trigger.IntervalTrigger
            and trigger.unit == 'iteration' and trigger.period == 1)


class _ExtensionEntry:

    def __init__(self, extension, priority, trigger, call_before_training):
        self.extension = extension
        self.trigger = trigger
        self.priority = priority
        self.call_before_training = call_before_training


class Trainer:
    """The standard training loop.

    :meth:`run` repeats: call ``updater.update()`` inside a reporter scope that
    collects the observation of the iteration, then every extension whose trigger
    fires, in decreasing priority, until ``stop_trigger`` fires.  Before the loop,
    every extension's ``initialize(trainer)`` runs (this is where snapshots are
    loaded); after it, every ``finalize()`` and ``updater.finalize()``.  If an
    update or an extension raises, every extension's ``on_error(trainer, exc, tb)``
    runs, then the exception propagates (training stops with it).

    Args:
        updater (~kusari.training.Updater): The updater.
        stop_trigger: When to stop: a trigger or ``(period, unit)``
            (``None``: never stop).
        out (str): Output directory of extensions (created by :meth:`run`).
        extensions (list): Extensions to register with :meth:`extend`.

    Attributes:
        updater: The updater.
        stop_trigger: The stop trigger.
        out (str): The output directory.
        observation (dict): The values reported in the current iteration.
        reporter (~kusari.Reporter): The reporter; the optimizers' models (and
            their sub-links) are its observers (``main/loss``, ...).
    """

    def __init__(self, updater, stop_trigger=None, out='result', extensions=None):
        self.updater = updater
        self.stop_trigger = trigger_util.get_trigger(stop_trigger)
        self.observation = {}
        self.out = out
        reporter = reporter_module.Reporter()
        for name, optimizer in updater.get_all_optimizers().items():
            reporter.add_observer(name, optimizer.target)
            reporter.add_observers(name, optimizer.target.namedlinks(skipself=True))
        self.reporter = reporter
        self._done = False
        self._extensions = collections.OrderedDict()
        self._start_at = None
        self._snapshot_elapsed_time = 0.0
        self._final_elapsed_time = None
        self._running = False
        updater.connect_trainer(self)
        for ext in extensions or ():
            self.extend(ext)

    def _sync_every_iteration(self):
        # The skipped every-iteration triggers get the state a call at the current
        # iteration would have left (only while or after running: before, their
        # state is what was loaded or constructed).
        if not (self._running or self._done or self._start_at is not None):
            return
        updater = self.updater
        for entry in self._extensions.values():
            if _fires_every_iteration(entry.trigger):
                entry.trigger._previous_iteration = updater.iteration
                if hasattr(updater, 'epoch_detail'):
                    entry.trigger._previous_epoch_detail = updater.epoch_detail

    @property
    def is_before_training(self):
        """True while no update has been done (iteration 0)."""
        return self.updater.iteration == 0

    @property
    def elapsed_time(self):
        """Seconds of training so far (including the time before a resume).

        Raises:
            RuntimeError: training has not started.
        """
        if self._done:
            return self._final_elapsed_time
        if self._start_at is None:
            raise RuntimeError('Trainer.elapsed_time: training has not been started '
                               'yet')
        return time.perf_counter() - self._start_at + self._snapshot_elapsed_time

    def extend(self, extension, name=None, trigger=None, priority=None, *,
               call_before_training=False, **kwargs):
        """Register an extension.

        Args:
            extension: A callable ``f(trainer)`` (an :class:`Extension`, a function
                decorated with :func:`make_extension`, or any callable).
            name (str): Name; by default the extension's ``name``,
                ``default_name`` or ``__name__``.  A duplicate gets ``_1``,
                ``_2``, ... appended.
            trigger: When to call it (default: the extension's ``trigger``, or
                ``(1, 'iteration')``).
            priority (int): Order among the extensions of one iteration (higher
                first; default: the extension's ``priority`` or
                :data:`PRIORITY_READER`).
            call_before_training (bool): Also call it once before the first update.

        Raises:
            TypeError: no name can be found.
            ValueError: the name is ``'training'``; the trigger's unit is invalid.
        """
        if 'invoke_before_training' in kwargs:
            raise ValueError('Trainer.extend: invoke_before_training has been removed '
                             'since Chainer v2.0.0; use initializer= instead')
        if kwargs:
            raise TypeError('Trainer.extend: unexpected keyword argument(s) '
                            '{}'.format(', '.join(sorted(kwargs))))
        if name is None:
            name = getattr(extension, 'name', None)
            if name is None:
                name = getattr(extension, 'default_name', None)
                if name is None:
                    name = getattr(extension, '__name__', None)
                    if name is None:
                        raise TypeError('Trainer.extend: name is not given for the '
                                        'extension {!r}'.format(extension))
        if name == 'training':
            raise ValueError('Trainer.extend: the name "training" is prohibited as an '
                             'extension name')
        if trigger is None:
            trigger = getattr(extension, 'trigger', (1, 'iteration'))
        trigger = trigger_util.get_trigger(trigger)
        if priority is None:
            priority = getattr(extension, 'priority',
                               extension_module.PRIORITY_READER)
        modified_name = name
        ordinal = 0
        while modified_name in self._extensions:
            ordinal += 1
            modified_name = '{}_{}'.format(name, ordinal)
        extension.name = modified_name
        self._extensions[modified_name] = _ExtensionEntry(
            extension, priority, trigger, call_before_training)

    def get_extension(self, name):
        """Return the extension registered as ``name``.

        Raises:
            ValueError: no such extension.
        """
        if name in self._extensions:
            return self._extensions[name].extension
        raise ValueError('Trainer.get_extension: extension {} not found (registered: '
                         '{})'.format(name, list(self._extensions)))

    def run(self, show_loop_exception_msg=True):
        """Run the training loop until the stop trigger fires.

        Args:
            show_loop_exception_msg (bool): Print the exception and its traceback
                to stderr when the loop raises, before the ``on_error`` hooks run.

        Raises:
            RuntimeError: the trainer already ran.
            Exception: whatever an update or an extension raised.
        """
        if self._done:
            raise RuntimeError('Trainer.run: cannot run the training loop multiple '
                               'times')
        try:
            os.makedirs(self.out, exist_ok=True)
        except OSError:
            pass   # an extension that writes there reports it with its own error
        order = sorted(self._extensions, key=lambda n: self._extensions[n].priority,
                       reverse=True)
        extensions = [(name, self._extensions[name]) for name in order]
        self._start_at = time.perf_counter()
        for _, entry in extensions:
            initializer = getattr(entry.extension, 'initialize', None)
            finished = getattr(entry.trigger, 'finished', False)
            if initializer and not finished:
                initializer(self)

        self.observation = {}
        with self.reporter.scope(self.observation):
            for _, entry in extensions:
                if entry.call_before_training:
                    entry.extension(self)

        update = self.updater.update
        reporter = self.reporter
        stop_trigger = self.stop_trigger
        # (trigger, extension) pairs bound once: the loop below is the hot path.
        # A trigger that fires at every iteration is not called (its state is
        # brought up to date before serialization, see _sync_every_iteration).
        calls = [(None if _fires_every_iteration(entry.trigger) else entry.trigger,
                  entry.extension) for _, entry in extensions]
        self._running = True
        try:
            while not stop_trigger(self):
                self.observation = observation = {}
                with reporter.scope(observation):
                    update()
                    for trigger, ext in calls:
                        if trigger is None or trigger(self):
                            ext(self)
        except Exception as e:
            self._running = False
            self._sync_every_iteration()
            exc_info = sys.exc_info()
            if show_loop_exception_msg:
                f = sys.stderr
                f.write('Exception in main training loop: {}\n'.format(e))
                f.write('Traceback (most recent call last):\n')
                traceback.print_tb(exc_info[2], file=f)
                f.write('Will finalize trainer extensions and updater before '
                        'reraising the exception.\n')
            for _, entry in extensions:
                handler = getattr(entry.extension, 'on_error', None)
                if handler:
                    try:
                        handler(self, e, exc_info[2])
                    except Exception as he:
                        sys.stderr.write('Exception in error handler of {}: {}\n'
                                         .format(entry.extension.name, he))
            raise
        finally:
            if self._running:
                self._running = False
                self._sync_every_iteration()
            for _, entry in extensions:
                finalize = getattr(entry.extension, 'finalize', None)
                if finalize:
                    finalize()
            self.updater.finalize()

        self._final_elapsed_time = self.elapsed_time
        self._done = True

    def serialize(self, serializer):
        """Save or load the state of the training.

        Keys: ``updater/...``, ``stop_trigger/...``, ``extensions/<name>/...``,
        ``extension_triggers/<name>/...`` and ``_snapshot_elapsed_time``.
        """
        self._sync_every_iteration()
        self.updater.serialize(serializer['updater'])
        if hasattr(self.stop_trigger, 'serialize'):
            self.stop_trigger.serialize(serializer['stop_trigger'])
        s = serializer['extensions']
        t = serializer['extension_triggers']
        for name, entry in self._extensions.items():
            if hasattr(entry.extension, 'serialize'):
                entry.extension.serialize(s[name])
            if hasattr(entry.trigger, 'serialize'):
                entry.trigger.serialize(t[name])
        if isinstance(serializer, serializer_module.Serializer):
            started = self._done or self._start_at is not None
            elapsed = self.elapsed_time if started else None
            if elapsed is None:
                # not started, or marked done without a run (Chainer's tests
                # set ``_done``): the time saved by the last snapshot
                elapsed = self._snapshot_elapsed_time
            serializer('_snapshot_elapsed_time', float(elapsed))
        else:
            self._snapshot_elapsed_time = serializer(
                '_snapshot_elapsed_time', float(self._snapshot_elapsed_time))
