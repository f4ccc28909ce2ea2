"""PlotReport: plot observed values over iterations or epochs into a PNG file."""
import json
import os

import numpy

from kusari import reporter
from kusari import serializer as serializer_module
from kusari.training import extension
from kusari.training import util as trigger_util
from kusari.training.extensions import _plot


class PlotReport(extension.Extension):
    """Trainer extension to plot accumulated observations.

    Like :class:`LogReport`, it averages the values of ``y_keys`` between
    triggers; at each trigger it appends the means and redraws the figure (one
    line per key against ``x_key``) into ``trainer.out/filename`` as PNG with
    Matplotlib's Agg backend, written atomically.  Without Matplotlib
    (``pip install kusari-training[plot]``) it warns once and does nothing.

    Args:
        y_keys (str or list of str): Keys of the values to plot.
        x_key (str): ``'iteration'`` or ``'epoch'``.
        trigger: When to add a point and redraw (``(1, 'epoch')``).
        postprocess (callable): ``postprocess(figure, axes, summary)`` before
            saving.
        filename (str): Output file name (``'plot.png'``; also accepted as
            ``file_name``).
        marker (str): Marker of the points (``'x'``); ``None`` for none.
        grid (bool): Draw a grid.
    """

    def __init__(self, y_keys, x_key='iteration', trigger=(1, 'epoch'),
                 postprocess=None, filename=None, marker='x', grid=True, **kwargs):
        file_name = kwargs.pop('file_name', 'plot.png')
        if kwargs:
            raise TypeError('PlotReport: unexpected keyword argument(s) {}'.format(
                ', '.join(sorted(kwargs))))
        if x_key not in ('iteration', 'epoch'):
            raise ValueError("PlotReport: x_key must be 'iteration' or 'epoch', but "
                             "got {!r}".format(x_key))
        _plot.available()
        if isinstance(y_keys, str):
            y_keys = (y_keys,)
        self._x_key = x_key
        self._y_keys = tuple(y_keys)
        self._trigger = trigger_util.get_trigger(trigger)
        self._file_name = file_name if filename is None else filename
        self._marker = marker
        self._grid = grid
        self._postprocess = postprocess
        self._init_summary()
        self._data = {k: [] for k in self._y_keys}

    @staticmethod
    def available():
        """Return True if Matplotlib is installed (warns once otherwise)."""
        return _plot.available()

    def __call__(self, trainer):
        """Accumulate; add a point and redraw when the trigger fires."""
        if not _plot.available():
            return
        keys = self._y_keys
        observation = trainer.observation
        self._summary.add({k: observation[k] for k in keys if k in observation})
        if not self._trigger(trainer):
            return
        stats = {name: float(value)
                 for name, value in self._summary.compute_mean().items()}
        updater = trainer.updater
        stats['epoch'] = updater.epoch
        stats['iteration'] = updater.iteration
        x = stats[self._x_key]
        for k in keys:
            if k in stats:
                self._data[k].append((x, stats[k]))
        fig = _plot.new_figure()
        a = fig.add_subplot(111)
        a.set_xlabel(self._x_key)
        if self._grid:
            a.grid()
        for k in keys:
            xy = self._data[k]
            if not xy:
                continue
            xy = numpy.array(xy)
            a.plot(xy[:, 0], xy[:, 1], marker=self._marker, label=k)
        if a.has_data():
            if self._postprocess is not None:
                self._postprocess(fig, a, self._summary)
            legend = a.legend(bbox_to_anchor=(1.05, 1), loc=2, borderaxespad=0.)
            _plot.save_png(fig, os.path.join(trainer.out, self._file_name),
                           bbox_extra_artists=(legend,), bbox_inches='tight')
        self._init_summary()

    def serialize(self, serializer):
        """Save or load the plotted points (as JSON)."""
        key = '_plot_{}'.format(self._file_name)
        if isinstance(serializer, serializer_module.Serializer):
            serializer(key, json.dumps(self._data))
        else:
            data = json.loads(serializer(key, json.dumps(self._data)))
            self._data = {k: [tuple(p) for p in data.get(k, [])]
                          for k in self._y_keys}

    def _init_summary(self):
        self._summary = reporter.DictSummary()
