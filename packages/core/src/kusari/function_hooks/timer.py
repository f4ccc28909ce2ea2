"""Per-function timing: :class:`TimerHook`."""
import sys
import time

import numpy

from kusari import backend
from kusari import function_hook


def _function_name(function):
    """The implementation's class name (the wrapped Function's for an old-style one)."""
    name = getattr(function, '_impl_name', None)
    if isinstance(name, str) and name:
        return name
    wrapped = getattr(function, '_function', None)
    if wrapped is not None:
        return type(wrapped).__name__
    return type(function).__name__


def _array_module(arrays):
    arrays = [a for a in arrays if a is not None]
    if not arrays:
        return numpy
    return backend.get_array_module(*arrays)


class TimerHook(function_hook.FunctionHook):
    """Function hook measuring the elapsed time of every forward and backward call.

    CPU calls are timed with :func:`time.perf_counter`; GPU calls (CuPy inputs)
    with CUDA events, synchronized at the end of each call.  For nested calls
    (a function running other functions), each call is recorded, but only the
    outermost ones count towards :meth:`total_time`.

    Example::

        hook = TimerHook()
        with hook:
            loss = model(x)
            loss.backward()
        hook.print_report()

    which prints a table like::

               FunctionName  ElapsedTime  Occurrence
             LinearFunction      1.24sec        3900
                       ReLU      0.59sec        2600

    Attributes:
        call_history (list): ``(function name, elapsed seconds)`` per call, in
            completion order.
    """

    name = 'TimerHook'
    table = {'sec': 1, 'ms': 10 ** 3, 'us': 10 ** 6, 'ns': 10 ** 9}

    def __init__(self):
        self.call_history = []
        self._running_stack = []
        self._depth = 0
        self._total_time = 0.0

    def _preprocess(self, xp):
        if xp is numpy:
            self._running_stack.append((xp, time.perf_counter()))
        else:
            import cupy
            start = cupy.cuda.Event()
            stop = cupy.cuda.Event()
            start.record()
            self._running_stack.append((xp, (start, stop)))
        self._depth += 1

    def _postprocess(self, function):
        xp, token = self._running_stack.pop()
        if xp is numpy:
            elapsed = time.perf_counter() - token
        else:
            import cupy
            start, stop = token
            stop.record()
            stop.synchronize()
            # get_elapsed_time returns milliseconds
            elapsed = cupy.cuda.get_elapsed_time(start, stop) / 1000
        self.call_history.append((_function_name(function), elapsed))
        self._depth -= 1
        if self._depth == 0:
            self._total_time += elapsed

    def forward_preprocess(self, function, in_data):
        """Start timing a forward call."""
        self._preprocess(_array_module(in_data))

    def forward_postprocess(self, function, in_data):
        """Stop timing a forward call and record it."""
        self._postprocess(function)

    def backward_preprocess(self, function, in_data, out_grad):
        """Start timing a backward call."""
        self._preprocess(_array_module(tuple(in_data) + tuple(out_grad)))

    def backward_postprocess(self, function, in_data, out_grad):
        """Stop timing a backward call and record it."""
        self._postprocess(function)

    def total_time(self):
        """Return the total elapsed time of the outermost calls, in seconds."""
        return self._total_time

    def summary(self):
        """Return ``{function name: {'elapsed_time': seconds, 'occurrence': count}}``.

        Names appear in the order of their first recorded call.
        """
        summary = {}
        for function_name, elapsed in self.call_history:
            record = summary.setdefault(
                function_name, {'elapsed_time': 0, 'occurrence': 0})
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
        """Print a table of the elapsed time and occurrence of each function.

        Args:
            unit (str): Time unit: ``'sec'``, ``'ms'``, ``'us'``, ``'ns'``,
                ``'auto'`` (one unit fitting the largest time, the default) or
                ``'auto_foreach'`` (a unit per row).
            file: Text stream to write to.
        """
        if unit not in self.table and unit not in ('auto', 'auto_foreach'):
            raise ValueError("unit must be one of 'sec', 'ms', 'us', 'ns', 'auto' "
                             "or 'auto_foreach', got {!r}".format(unit))
        summary = self.summary()
        entries = [['FunctionName', 'ElapsedTime', 'Occurrence']]
        auto_foreach = unit == 'auto_foreach'
        if unit == 'auto':
            max_time = max((r['elapsed_time'] for r in summary.values()),
                           default=0)
            factor, unit = self._choose_unit(max_time)
        elif not auto_foreach:
            factor = self.table[unit]
        for function_name, record in summary.items():
            second = record['elapsed_time']
            if auto_foreach:
                factor, unit = self._choose_unit(second)
            entries.append([function_name,
                            '%3.2f%s' % (second * factor, unit),
                            str(record['occurrence'])])
        widths = [max(len(row[i]) for row in entries) for i in range(3)]
        template = '  '.join('{:>%d}' % w for w in widths)
        for row in entries:
            file.write(template.format(*row))
            file.write('\n')
        if hasattr(file, 'flush'):
            file.flush()
