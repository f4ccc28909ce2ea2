"""A link hook measuring the time links spend in forward."""
import collections
import sys
import time

import numpy

from kusari import link_hook


class TimerHook(link_hook.LinkHook):
    """Measure the elapsed time of each link's ``forward`` (Chainer's hook).

    CPU links are timed with :func:`time.perf_counter`; links on a GPU with CUDA
    events.  Calls nest (a chain's time includes its children's), so
    :meth:`total_time` adds up only the outermost calls.

    Attributes:
        call_history (list): ``(link class name, seconds)`` per call, in the order
            the calls finished.

    >>> import numpy, kusari.links as L
    >>> from kusari.link_hooks import TimerHook
    >>> layer = L.Linear(3, 2)
    >>> with TimerHook() as hook:
    ...     _ = layer(numpy.ones((1, 3), numpy.float32))
    >>> hook.summary()['Linear']['occurrence']
    1
    """

    name = 'TimerHook'
    table = {'sec': 1, 'ms': 10 ** 3, 'us': 10 ** 6, 'ns': 10 ** 9}

    def __init__(self):
        self.call_history = []
        self._running_stack = []
        self._depth = 0
        self._total_time = 0

    def forward_preprocess(self, args):
        xp = args.link.xp
        if xp is numpy:
            self._running_stack.append((None, time.perf_counter()))
        else:
            start, stop = xp.cuda.Event(), xp.cuda.Event()
            start.record()
            self._running_stack.append((xp, (start, stop)))
        self._depth += 1

    def forward_postprocess(self, args):
        xp, token = self._running_stack.pop()
        if xp is None:
            elapsed = time.perf_counter() - token
        else:
            start, stop = token
            stop.record()
            stop.synchronize()
            elapsed = xp.cuda.get_elapsed_time(start, stop) / 1000   # ms -> s
        self.call_history.append((type(args.link).__name__, elapsed))
        self._depth -= 1
        if self._depth == 0:
            self._total_time += elapsed

    def total_time(self):
        """Total elapsed time of the outermost calls, in seconds."""
        return self._total_time

    def summary(self):
        """``OrderedDict`` link name -> ``{'elapsed_time': s, 'occurrence': n}``."""
        summary = collections.OrderedDict()
        for name, elapsed in self.call_history:
            record = summary.setdefault(name, {'elapsed_time': 0, 'occurrence': 0})
            record['elapsed_time'] += elapsed
            record['occurrence'] += 1
        return summary

    @staticmethod
    def _choose_unit(second):
        factor = 1
        for unit in ('sec', 'ms', 'us'):
            if second * factor >= 1:
                return factor, unit
            factor *= 1000.0
        return factor, 'ns'

    def print_report(self, unit='auto', file=sys.stdout):
        """Print a table of the elapsed time and occurrence of each link.

        Args:
            unit (str): ``'sec'``, ``'ms'``, ``'us'``, ``'ns'``, ``'auto'`` (one unit
                fitting the largest time, the default) or ``'auto_foreach'`` (a unit
                per row).
            file: text stream to write to.
        """
        if unit not in self.table and unit not in ('auto', 'auto_foreach'):
            raise ValueError("TimerHook.print_report: unit must be one of 'sec', "
                             "'ms', 'us', 'ns', 'auto' or 'auto_foreach', but got "
                             "{!r}".format(unit))
        summary = self.summary()
        entries = [['LinkName', 'ElapsedTime', 'Occurrence']]
        auto_foreach = unit == 'auto_foreach'
        if unit == 'auto':
            factor, unit = self._choose_unit(max(
                (r['elapsed_time'] for r in summary.values()), default=0))
        elif not auto_foreach:
            factor = self.table[unit]
        for name, record in summary.items():
            second = record['elapsed_time']
            if auto_foreach:
                factor, unit = self._choose_unit(second)
            entries.append([name, '%3.2f%s' % (second * factor, unit),
                            str(record['occurrence'])])
        widths = [max(len(row[i]) for row in entries) for i in range(3)]
        template = '  '.join('{:>%d}' % w for w in widths)
        for row in entries:
            file.write(template.format(*row) + '\n')
        if hasattr(file, 'flush'):
            file.flush()
