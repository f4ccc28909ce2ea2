"""Evaluator: run a model over a validation set and report the mean values."""
import copy
import warnings

import kusari
from kusari import backend
from kusari import configuration
from kusari import dataset
from kusari import reporter as reporter_module
from kusari.training import _convert
from kusari.training import extension


class Evaluator(extension.Extension):
    """Trainer extension that evaluates a model on a validation set.

    At every call it resets the ``'main'`` iterator, runs ``eval_func`` (the
    ``'main'`` target by default) on every converted minibatch under
    ``kusari.config.train = False`` and without backprop, with a fresh
    :class:`~kusari.Reporter` whose observers are the targets (named
    ``<extension name>/<target name>``, e.g. ``validation/main``), and reports the
    mean of each reported value to the current reporter
    (``validation/main/loss``, ...).  It also returns that dict.

    Args:
        iterator: A dataset iterator (or a dict of them with ``'main'``); it should
            not repeat (``repeat=False``).
        target: A :class:`~kusari.Link` or a dict of them with ``'main'``.
        converter: Batch converter (default :func:`kusari.dataset.concat_examples`).
        device: Device to which the arrays are sent (a device specifier or None).
        eval_hook (callable): Called as ``eval_hook(evaluator)`` before evaluating.
        eval_func (callable): Called on each batch instead of the main target.
        progress_bar (bool): Show the progress of the evaluation (keyword only).

    The arguments are kept as the attributes ``converter``, ``device``,
    ``eval_hook`` and ``eval_func``.

    Raises:
        TypeError: the converter returns something other than a tuple, a dict or
            an array.
    """

    trigger = 1, 'epoch'
    default_name = 'validation'
    priority = extension.PRIORITY_WRITER
    name = None

    def __init__(self, iterator, target, converter=dataset.concat_examples,
                 device=None, eval_hook=None, eval_func=None, **kwargs):
        progress_bar = kwargs.pop('progress_bar', False)
        if kwargs:
            raise TypeError('Evaluator: unexpected keyword argument(s) {}'.format(
                ', '.join(sorted(kwargs))))
        if device is not None:
            device = backend.get_device(device)
        if not isinstance(iterator, dict):
            iterator = {'main': iterator}
        self._iterators = iterator
        if isinstance(target, kusari.Link):
            target = {'main': target}
        self._targets = target
        self.converter = converter
        self.device = device
        self.eval_hook = eval_hook
        self.eval_func = eval_func
        self._progress_bar = progress_bar
        for key, it in iterator.items():
            if getattr(it, 'repeat', False) is True:
                warnings.warn(
                    'The `repeat` property of the iterator {} is set to `True`. '
                    'Typically, the evaluator sweeps over iterators until they stop, '
                    'but as the property being `True`, this iterator might not stop '
                    'and evaluation could go into an infinite loop. We recommend to '
                    'check the configuration of iterators'.format(key))

    def get_iterator(self, name):
        """Return the iterator called ``name``."""
        return self._iterators[name]

    def get_all_iterators(self):
        """Return a dict of all iterators."""
        return dict(self._iterators)

    def get_target(self, name):
        """Return the target link called ``name``."""
        return self._targets[name]

    def get_all_targets(self):
        """Return a dict of all target links."""
        return dict(self._targets)

    def __call__(self, trainer=None):
        """Evaluate and report the mean of every observed value; return them."""
        reporter = reporter_module.Reporter()
        prefix = self.name + '/' if self.name is not None else ''
        for name, target in self._targets.items():
            reporter.add_observer(prefix + name, target)
            reporter.add_observers(prefix + name, target.namedlinks(skipself=True))
        with reporter:
            with configuration.using_config('train', False):
                result = self.evaluate()
        reporter_module.report(result)
        return result

    def evaluate(self):
        """Run the evaluation over the main iterator; return the mean values.

        Returns:
            dict: Observation key to its mean over the validation set.
        """
        iterator = self._iterators['main']
        eval_func = self.eval_func or self._targets['main']
        if self.eval_hook:
            self.eval_hook(self)
        if hasattr(iterator, 'reset'):
            iterator.reset()
            it = iterator
        else:
            warnings.warn('This iterator does not have the reset method. Evaluator '
                          'copies the iterator instead of resetting. This behavior is '
                          'deprecated. Please implement the reset method.',
                          DeprecationWarning)
            it = copy.copy(iterator)
        summary = reporter_module.DictSummary()
        who = type(self).__name__
        progress = _ProgressLine(it) if self._progress_bar else None
        for batch in it:
            observation = {}
            with reporter_module.report_scope(observation):
                in_arrays = _convert.check_converted(
                    _convert.call_converter(self.converter, batch, self.device), who)
                with kusari.no_backprop_mode():
                    _convert.call_with(eval_func, in_arrays)
            summary.add(observation)
            if progress is not None:
                progress.update()
        if progress is not None:
            progress.close()
        return summary.compute_mean()

    def finalize(self):
        """Finalize the iterators."""
        for it in self._iterators.values():
            finalize = getattr(it, 'finalize', None)
            if finalize is not None:
                finalize()


class _ProgressLine:
    # A minimal progress indicator of the evaluation: "validation: N iterations".
    def __init__(self, iterator, out=None):
        import sys
        self._out = out or sys.stdout
        self._n = 0

    def update(self):
        self._n += 1
        if self._n % 100 == 0:
            self._out.write('validation: {} iterations\n'.format(self._n))
            self._out.flush()

    def close(self):
        self._out.write('validation: {} iterations, done\n'.format(self._n))
        self._out.flush()
