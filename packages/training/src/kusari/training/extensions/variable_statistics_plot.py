"""VariableStatisticsPlot: plot statistics of variables (e.g. parameters) over time."""
import os

import numpy

import kusari
from kusari import backend
from kusari.training import extension
from kusari.training import util as trigger_util
from kusari.training.extensions import _plot

_plot_color = (0.121, 0.466, 0.705)       # Matplotlib's default blue
_plot_color_trans = _plot_color + (0.2,)
_plot_common_kwargs = {'alpha': 0.2, 'linewidth': 0, 'color': _plot_color}


class Reservoir:
    """Reservoir sample of at most ``size`` arrays of shape ``data_shape``.

    Keeps the first ``size`` samples, then replaces a random one with
    probability ``size / n`` (algorithm R), so every sample seen is kept with
    equal probability.
    """

    def __init__(self, size, data_shape, dtype=numpy.float32):
        self.size = size
        self.data = numpy.zeros((size,) + tuple(data_shape), dtype=dtype)
        self.idxs = numpy.zeros((size,), dtype=numpy.int64)
        self.counter = 0

    def add(self, x, idx=None):
        """Offer sample ``x`` with its x-coordinate ``idx``."""
        if self.counter < self.size:
            self.data[self.counter] = x
            self.idxs[self.counter] = idx or self.counter
        elif self.counter >= self.size and \
                numpy.random.random() < self.size / float(self.counter + 1):
            i = numpy.random.randint(self.size)
            self.data[i] = x
            self.idxs[i] = idx or self.counter
        self.counter += 1

    def get_data(self):
        """Return ``(idxs, data)`` of the kept samples, sorted by ``idxs``."""
        n = min(self.counter, self.size)
        order = numpy.argsort(self.idxs[:n], kind='stable')
        return self.idxs[:n][order], self.data[:n][order]


class Statistician:
    """Computes mean, standard deviation and percentiles of an array."""

    def __init__(self, collect_mean, collect_std, percentile_sigmas):
        self.collect_mean = collect_mean
        self.collect_std = collect_std
        self.percentile_sigmas = percentile_sigmas

    def __call__(self, x, axis=0, dtype=None, xp=None):
        """Return a dict with ``'mean'``, ``'std'`` and ``'percentile'`` entries."""
        if xp is None:
            xp = backend.get_array_module(x)
        if axis is None:
            axis = tuple(range(x.ndim))
        elif not isinstance(axis, (tuple, list)):
            axis = axis,
        return self.collect(x, axis, xp)

    def collect(self, x, axis, xp):
        out = {}
        if self.collect_mean:
            out['mean'] = x.mean(axis=axis)
        if self.collect_std:
            out['std'] = x.std(axis=axis)
        if self.percentile_sigmas is not None and \
                numpy.size(self.percentile_sigmas) > 0:
            out['percentile'] = xp.percentile(x, self.percentile_sigmas, axis=axis)
        return out


def _unpack_variables(x):
    if isinstance(x, kusari.Variable):
        return [x]
    if isinstance(x, kusari.Link):
        return list(x.params())
    out = []
    for item in x:
        out.extend(_unpack_variables(item))
    return out


class VariableStatisticsPlot(extension.Extension):
    """Trainer extension to plot statistics of variables (e.g. parameters).

    Every call computes, over all elements of the target variables together, the
    mean, the standard deviation and the percentiles of their data and/or
    gradients, keeps a reservoir sample of these per iteration, and when
    ``trigger`` fires draws them (one column per ``data``/``grad``; mean with a
    std error band on top, percentile bands below) into ``trainer.out/filename``
    as PNG, atomically, with Matplotlib's Agg backend.  Without Matplotlib it
    warns once and does nothing.

    Args:
        targets: A :class:`~kusari.Variable`, a :class:`~kusari.Link` (its
            parameters) or a list of them.
        max_sample_size (int): Size of the reservoir of iterations.
        report_data (bool): Plot the values.
        report_grad (bool): Plot the gradients.
        plot_mean (bool): Plot the mean.
        plot_std (bool): Plot the standard deviation.
        percentile_sigmas (float or tuple): Percentiles to plot.
        trigger: When to redraw (``(1, 'epoch')``).
        filename (str): Output file (``'statistics.png'``; also ``file_name``).
        figsize (tuple): Figure size in inches.
        marker (str): Line marker.
        grid (bool): Draw a grid.

    Raises:
        ValueError: no target variable, or nothing to plot.
    """

    def __init__(self, targets, max_sample_size=1000, report_data=True,
                 report_grad=True, plot_mean=True, plot_std=True,
                 percentile_sigmas=(0, 0.13, 2.28, 15.87, 50, 84.13, 97.72, 99.87,
                                    100),
                 trigger=(1, 'epoch'), filename=None, figsize=None, marker=None,
                 grid=True, **kwargs):
        file_name = kwargs.pop('file_name', 'statistics.png')
        if kwargs:
            raise TypeError('VariableStatisticsPlot: unexpected keyword argument(s) '
                            '{}'.format(', '.join(sorted(kwargs))))
        self._vars = _unpack_variables(targets)
        if not self._vars:
            raise ValueError('VariableStatisticsPlot: need at least one variable for '
                             'which to collect statistics.\nActual: 0 <= 0')
        if not any((plot_mean, plot_std, bool(percentile_sigmas))):
            raise ValueError('VariableStatisticsPlot: nothing to plot (plot_mean, '
                             'plot_std and percentile_sigmas are all off)')
        self._keys = []
        if report_data:
            self._keys.append('data')
        if report_grad:
            self._keys.append('grad')
        self._statistician = Statistician(plot_mean, plot_std, percentile_sigmas)
        self._plot_mean = plot_mean
        self._plot_std = plot_std
        self._plot_percentile = bool(percentile_sigmas)
        self._trigger = trigger_util.get_trigger(trigger)
        self._filename = file_name if filename is None else filename
        self._figsize = figsize
        self._marker = marker
        self._grid = grid
        if not self._plot_percentile:
            n_percentile = 0
        elif not isinstance(percentile_sigmas, (list, tuple)):
            n_percentile = 1
        else:
            n_percentile = len(percentile_sigmas)
        self._data_shape = (len(self._keys),
                            int(plot_mean) + int(plot_std) + n_percentile)
        self._samples = Reservoir(max_sample_size, data_shape=self._data_shape)

    @staticmethod
    def available():
        """Return True if Matplotlib is installed (warns once otherwise)."""
        return _plot.available()

    def __call__(self, trainer):
        """Sample the statistics; redraw when the trigger fires."""
        if not _plot.available():
            return
        stats = numpy.zeros(self._data_shape, dtype=numpy.float32)
        for i, k in enumerate(self._keys):
            xs = []
            for var in self._vars:
                x = getattr(var, 'array' if k == 'data' else 'grad', None)
                if x is not None:
                    xs.append(backend.to_cpu(x).ravel())
            if xs:
                stat = self._statistician(numpy.concatenate(xs, axis=0), axis=0,
                                          xp=numpy)
                parts = []
                if self._plot_mean:
                    parts.append(numpy.atleast_1d(stat['mean']))
                if self._plot_std:
                    parts.append(numpy.atleast_1d(stat['std']))
                if self._plot_percentile:
                    parts.append(numpy.atleast_1d(stat['percentile']))
                stats[i] = numpy.concatenate(parts, axis=0)
        self._samples.add(stats, idx=trainer.updater.iteration)
        if self._trigger(trainer):
            self.save_plot(os.path.join(trainer.out, self._filename))

    def save_plot(self, file_path):
        """Draw the sampled statistics into ``file_path`` (PNG, atomic)."""
        nrows = int(self._plot_mean or self._plot_std) + int(self._plot_percentile)
        ncols = len(self._keys)
        fig = _plot.new_figure(figsize=self._figsize)
        axes = numpy.asarray(fig.subplots(nrows, ncols, sharex=True, squeeze=False))
        idxs, data = self._samples.get_data()
        offset = int(self._plot_mean) + int(self._plot_std)
        n_percentile = data.shape[-1] - offset
        mid = n_percentile // 2
        odd = n_percentile % 2 == 1
        for col in range(ncols):
            row = 0
            ax = axes[row, col]
            ax.set_title(self._keys[col])
            if self._plot_mean or self._plot_std:
                if self._plot_mean and self._plot_std:
                    ax.errorbar(idxs, data[:, col, 0], data[:, col, 1],
                                color=_plot_color, ecolor=_plot_color_trans,
                                label='mean, std', marker=self._marker)
                else:
                    label = 'mean' if self._plot_mean else 'std'
                    ax.plot(idxs, data[:, col, 0], color=_plot_color, label=label,
                            marker=self._marker)
                row += 1
            if self._plot_percentile:
                ax = axes[row, col]
                for i in range(mid + 1):
                    if odd and i == mid:
                        ax.plot(idxs, data[:, col, offset + i], color=_plot_color,
                                label='percentile', marker=self._marker)
                    else:
                        label = 'percentile' if i == mid else '_nolegend_'
                        ax.fill_between(idxs, data[:, col, offset + i],
                                        data[:, col, -i - 1], label=label,
                                        **_plot_common_kwargs)
                ax.set_xlabel('iteration')
            for ax in axes[:, col]:
                ax.legend()
                ax.grid(self._grid)
        _plot.save_png(fig, file_path)
