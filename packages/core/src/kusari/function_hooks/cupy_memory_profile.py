"""GPU memory used by each function from CuPy's memory pool: :class:`CupyMemoryProfileHook`."""
import collections
import sys

from kusari import function_hook
from kusari.function_hooks import cuda_profile
from kusari.function_hooks import timer


def _cumulative_hook_class(cupy):
    # Defined on first use: its base class is CuPy's, and CuPy is optional.
    class CupyMemoryCumulativeHook(cupy.cuda.memory_hook.MemoryHook):
        """A CuPy memory hook adding up the bytes requested and acquired.

        Attributes:
            used_bytes (int): bytes the application took from the memory pool.
            acquired_bytes (int): bytes the pool acquired from the device.
        """

        name = 'CupyMemoryCumulativeHook'

        def __init__(self):
            self.used_bytes = 0
            self.acquired_bytes = 0

        def alloc_preprocess(self, **kwargs):
            self.acquired_bytes += kwargs['mem_size']

        def malloc_preprocess(self, **kwargs):
            self.used_bytes += kwargs['mem_size']

    return CupyMemoryCumulativeHook


class CupyMemoryProfileHook(function_hook.FunctionHook):
    """Function hook measuring the memory each function takes from CuPy's memory pool.

    For each forward and backward call it records the bytes the call requested from
    the pool (*used*) and the bytes the pool had to acquire from the device for it
    (*acquired*).  Nested calls are recorded each; only the outermost ones count in
    :meth:`total_used_bytes` and :meth:`total_acquired_bytes`.

    Example::

        hook = CupyMemoryProfileHook()
        with hook:
            trainer.run()
        hook.print_report()

    which prints a table like::

                   FunctionName  UsedBytes  AcquiredBytes  Occurrence
                 LinearFunction     5.16GB       179.98MB        3900
                           ReLU     0.99GB       458.97MB        2600

    Attributes:
        call_history (list): ``(function name, used bytes, acquired bytes, depth)``
            per call, in completion order.

    Raises:
        RuntimeError: CuPy is not available.
    """

    name = 'CupyMemoryProfileHook'
    _units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB']
    _table = {u: 1024.0 ** i for i, u in enumerate(_units)}

    def __init__(self):
        cupy = cuda_profile._cupy('CupyMemoryProfileHook')
        self.call_history = []
        self._memory_hook = _cumulative_hook_class(cupy)()
        self._running_stack = []
        self._total_used_bytes = 0
        self._total_acquired_bytes = 0

    def added(self, function=None):
        """Start observing CuPy's memory pool."""
        self._memory_hook.__enter__()

    def deleted(self, function=None):
        """Stop observing CuPy's memory pool."""
        self._memory_hook.__exit__()

    def _preprocess(self):
        self._running_stack.append((self._memory_hook.used_bytes,
                                    self._memory_hook.acquired_bytes))

    def _postprocess(self, function):
        used0, acquired0 = self._running_stack.pop()
        used = self._memory_hook.used_bytes - used0
        acquired = self._memory_hook.acquired_bytes - acquired0
        depth = len(self._running_stack)
        self.call_history.append((timer._function_name(function), used, acquired,
                                  depth))
        if depth == 0:
            self._total_used_bytes += used
            self._total_acquired_bytes += acquired

    def forward_preprocess(self, function, in_data):
        """Note the pool's counters before a forward call."""
        self._preprocess()

    def forward_postprocess(self, function, in_data):
        """Record the bytes a forward call took."""
        self._postprocess(function)

    def backward_preprocess(self, function, in_data, out_grad):
        """Note the pool's counters before a backward call."""
        self._preprocess()

    def backward_postprocess(self, function, in_data, out_grad):
        """Record the bytes a backward call took."""
        self._postprocess(function)

    def total_used_bytes(self):
        """Bytes the outermost calls took from the memory pool."""
        return self._total_used_bytes

    def total_acquired_bytes(self):
        """Bytes the memory pool acquired from the device for the outermost calls."""
        return self._total_acquired_bytes

    def summary(self):
        """``OrderedDict`` function name -> ``used_bytes``, ``acquired_bytes``, ``occurrence``."""
        summary = collections.OrderedDict()
        for name, used, acquired, _ in self.call_history:
            record = summary.setdefault(
                name, {'used_bytes': 0, 'acquired_bytes': 0, 'occurrence': 0})
            record['used_bytes'] += used
            record['acquired_bytes'] += acquired
            record['occurrence'] += 1
        return summary

    def _choose_unit(self, size):
        denomi = 1.0
        if size <= 0:
            return denomi, self._units[0]
        for unit in self._units[:-1]:
            if size / (denomi * 1024) < 1:
                return denomi, unit
            denomi *= 1024
        return denomi, self._units[-1]

    def print_report(self, unit='auto', file=sys.stdout):
        """Print a table of the memory used and acquired by each function.

        Args:
            unit (str): ``'B'``, ``'KB'``, ``'MB'``, ``'GB'``, ``'TB'``, ``'PB'``,
                ``'EB'``, ``'ZB'``, ``'auto'`` (one unit per column, fitting its
                largest value; the default) or ``'auto_foreach'`` (per value).
            file: text stream to write to.
        """
        if unit not in self._table and unit not in ('auto', 'auto_foreach'):
            raise ValueError(
                'CupyMemoryProfileHook.print_report: unit must be one of {}, '
                "'auto' or 'auto_foreach', but got {!r}".format(
                    ', '.join(repr(u) for u in self._units), unit))
        summary = self.summary()
        entries = [['FunctionName', 'UsedBytes', 'AcquiredBytes', 'Occurrence']]
        if unit == 'auto':
            du, uu = self._choose_unit(max(
                (r['used_bytes'] for r in summary.values()), default=0))
            da, ua = self._choose_unit(max(
                (r['acquired_bytes'] for r in summary.values()), default=0))
        elif unit != 'auto_foreach':
            du = da = self._table[unit]
            uu = ua = unit
        for name, record in summary.items():
            used, acquired = record['used_bytes'], record['acquired_bytes']
            if unit == 'auto_foreach':
                du, uu = self._choose_unit(used)
                da, ua = self._choose_unit(acquired)
            entries.append([name, '%3.2f%s' % (used / du, uu),
                            '%3.2f%s' % (acquired / da, ua),
                            str(record['occurrence'])])
        widths = [max(len(row[i]) for row in entries) for i in range(4)]
        template = '  '.join('{:>%d}' % w for w in widths)
        for row in entries:
            file.write(template.format(*row) + '\n')
        if hasattr(file, 'flush'):
            file.flush()
