"""MultiprocessIterator: examples fetched by worker processes, batches prefetched.

Workers are forked (where the platform allows it) so that they inherit the
dataset without pickling it, and fetch ``dataset[i]`` in parallel.  Examples come
back through pipes (pickled), or, with ``shared_mem``, their arrays are written
into shared memory (one slot of ``batch_size * shared_mem`` bytes per batch in
flight) and only small descriptors travel through the pipes.
"""
import math
import multiprocessing
import os
import time
import warnings

import numpy

from kusari.iterators import _prefetch
from kusari.iterators import _worker_pool

class _SharedArray:
    """A reference to an array stored in a shared memory slot."""

    __slots__ = ('offset', 'dtype', 'shape')

    def __init__(self, offset, dtype, shape):
        self.offset = offset
        self.dtype = dtype
        self.shape = shape

    def __reduce__(self):
        return _SharedArray, (self.offset, self.dtype, self.shape)


def _pack(value, buf, cursor, end):
    """Replace the arrays of ``value`` by shared references where they fit."""
    if isinstance(value, numpy.ndarray) and value.dtype.hasobject is False:
        nbytes = value.nbytes
        start = (cursor[0] + 15) // 16 * 16       # keep the data aligned
        if start + nbytes <= end:
            dst = numpy.frombuffer(buf, numpy.uint8, nbytes, start)
            dst[...] = numpy.ascontiguousarray(value).view(numpy.uint8).reshape(-1)
            cursor[0] = start + nbytes
            return _SharedArray(start, value.dtype.str, value.shape)
        return value
    if type(value) is tuple:
        return tuple(_pack(v, buf, cursor, end) for v in value)
    if type(value) is list:
        return [_pack(v, buf, cursor, end) for v in value]
    if type(value) is dict:
        return {k: _pack(v, buf, cursor, end) for k, v in value.items()}
    return value


def _unpack(value, buf):
    if isinstance(value, _SharedArray):
        dtype = numpy.dtype(value.dtype)
        view = numpy.frombuffer(buf, dtype, math.prod(value.shape), value.offset)
        return view.reshape(value.shape).copy()
    if type(value) is tuple:
        return tuple(_unpack(v, buf) for v in value)
    if type(value) is list:
        return [_unpack(v, buf) for v in value]
    if type(value) is dict:
        return {k: _unpack(v, buf) for k, v in value.items()}
    return value


def _fetch(state, task):
    """Worker: fetch one example; put its arrays into the shared slot if possible."""
    dataset, buffers, shared_mem = state
    slot, position, index = task
    example = dataset[index]
    if buffers is None:
        return example
    start = position * shared_mem
    return _pack(example, buffers[slot], [start], start + shared_mem)


class _Pending:
    """The chunks of one batch in flight."""

    __slots__ = ('keys',)

    def __init__(self, keys):
        self.keys = keys


class MultiprocessIterator(_prefetch.PrefetchIterator):
    """Dataset iterator that loads examples in parallel worker processes.

    Use it when reading or transforming an example costs CPU time (decoding,
    augmentation): ``n_processes`` workers fetch the examples of the next
    batches while the current one is used.  Same arguments and progress
    properties as :class:`~kusari.iterators.SerialIterator`, plus:

    Args:
        n_processes (int): The number of worker processes (default: the number
            of CPUs).
        n_prefetch (int): How many batches are fetched ahead (besides the one
            awaited).
        shared_mem (int): Bytes of shared memory per example; the arrays of an
            example that fit are passed through it instead of being pickled.
            ``None`` (the default) passes everything through pipes.
        dataset_timeout (float): Seconds after which a batch that is still not
            ready raises a :class:`MultiprocessIterator.TimeoutWarning` (the
            iterator keeps waiting); ``None`` or ``0`` disables it.
        maxtasksperchild (int): Replace a worker after it fetched that many
            examples (``None``: never).

    The workers are forked where possible (Linux: the dataset is inherited, not
    pickled); elsewhere the dataset must be picklable.  :meth:`finalize` (or the
    end of a ``with`` block) stops them and waits until they are gone; so does an
    exception raised while fetching a batch, which is re-raised.  A worker that
    dies (killed, out of memory) raises ``RuntimeError`` instead of hanging.

    >>> from kusari.iterators import MultiprocessIterator
    >>> with MultiprocessIterator(list(range(5)), 2, shuffle=False,
    ...                           n_processes=2) as it:
    ...     next(it), next(it), next(it)
    ([0, 1], [2, 3], [4, 0])

    """

    class TimeoutWarning(RuntimeWarning):
        """A batch took longer than ``dataset_timeout`` seconds to load."""

    _interruption_testing = False   # Chainer's name; unused

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None,
                 n_processes=None, n_prefetch=1, shared_mem=None,
                 order_sampler=None, dataset_timeout=30.0, maxtasksperchild=None):
        who = 'MultiprocessIterator'
        if n_processes is None:
            n_processes = len(os.sched_getaffinity(0)) if hasattr(
                os, 'sched_getaffinity') else (os.cpu_count() or 1)
        if isinstance(n_processes, bool) or not isinstance(n_processes, int) \
                or n_processes < 1:
            raise ValueError('{}: n_processes must be a positive int, got {!r}'.format(
                who, n_processes))
        if shared_mem is not None and (isinstance(shared_mem, bool) or not isinstance(
                shared_mem, int) or shared_mem <= 0):
            raise ValueError('{}: shared_mem must be a positive int (bytes per '
                             'example) or None, got {!r}'.format(who, shared_mem))
        if maxtasksperchild is not None and (not isinstance(maxtasksperchild, int)
                                             or maxtasksperchild < 1):
            raise ValueError('{}: maxtasksperchild must be a positive int or None, got '
                             '{!r}'.format(who, maxtasksperchild))
        self.n_processes = n_processes
        self.shared_mem = shared_mem
        self.dataset_timeout = dataset_timeout
        self.maxtasksperchild = maxtasksperchild
        self._pool = None
        self._buffers = None
        self._results = {}
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler,
                         n_prefetch)

    # -- workers -----------------------------------------------------------------------

    #: The multiprocessing start method: ``None`` picks ``'fork'`` where the
    #: platform has it (the dataset is inherited), else ``'spawn'`` (the dataset
    #: is pickled to each worker).
    start_method = None

    def _context(self):
        method = self.start_method
        if method is None:
            methods = multiprocessing.get_all_start_methods()
            method = 'fork' if 'fork' in methods else 'spawn'
        return multiprocessing.get_context(method)

    def _start_pool(self):
        ctx = self._context()
        if self.shared_mem is not None:
            size = self.shared_mem * self.batch_size
            self._buffers = [ctx.RawArray('b', size) for _ in range(self._n_slots)]
        self._results = {}
        self._pool = _worker_pool.WorkerPool(
            ctx, self.n_processes, _fetch, (self.dataset, self._buffers, self.shared_mem),
            self.maxtasksperchild)

    @property
    def worker_pids(self):
        """The process ids of the live worker processes (empty when finalized)."""
        return [] if self._pool is None else self._pool.pids

    # -- PrefetchIterator --------------------------------------------------------------

    def _submit(self, indices, slot):
        if self._pool is None:
            self._start_pool()
        tasks = [(slot, pos, index) for pos, index in enumerate(indices)]
        # A few chunks per worker: little IPC per example, still balanced.
        chunksize = max(1, -(-len(tasks) // (2 * self.n_processes)))
        keys = []
        for start in range(0, len(tasks), chunksize):
            key = (self._submitted, start)
            try:
                self._pool.submit(key, tasks[start:start + chunksize])
            except _worker_pool.WorkerDied as e:
                raise RuntimeError('MultiprocessIterator: {}'.format(e)) from None
            keys.append(key)
        return _Pending(keys)

    def _collect(self, pending, slot):
        results = self._results
        timeout = self.dataset_timeout
        warned = False
        # Time our own wait (a batch queued behind a slow one is not itself slow)
        # and, below, the time the workers spent on it.
        started = time.monotonic()
        while not all(key in results for key in pending.keys):
            try:
                results.update(self._pool.wait(0.05))
            except _worker_pool.WorkerDied as e:
                raise RuntimeError('MultiprocessIterator: {}'.format(e)) from None
            if timeout and not warned and time.monotonic() - started >= timeout:
                self._warn_timeout()
                warned = True
        examples = []
        error = None
        slowest = 0.
        for key in pending.keys:
            ok, value, elapsed = results.pop(key)
            slowest = max(slowest, elapsed)
            if not ok:
                error = error or value
            else:
                examples.extend(value)
        if timeout and not warned and slowest >= timeout:
            # Loaded in the background while we were busy, but slowly all the same.
            self._warn_timeout()
        if error is not None:
            raise error
        if self._buffers is None:
            return examples
        buf = self._buffers[slot]
        return [_unpack(example, buf) for example in examples]

    def _warn_timeout(self):
        warnings.warn(
            'MultiprocessIterator: loading a batch took more than {} seconds '
            '(dataset_timeout): a stalled dataset or too few workers?'.format(
                self.dataset_timeout), MultiprocessIterator.TimeoutWarning,
            stacklevel=4)

    def finalize(self):
        """Stop the worker processes and wait until they are gone.

        As in Chainer, :meth:`reset` is not supported afterwards (it raises
        ``NotImplementedError``); ``next()`` still works, starting new workers.
        """
        self._finalized = True
        super().finalize()

    def reset(self):
        """Go back to the beginning (epoch 0, a fresh order); drops prefetched batches.

        Raises:
            NotImplementedError: the iterator was finalized (as in Chainer).
        """
        if getattr(self, '_finalized', False):
            raise NotImplementedError(
                'MultiprocessIterator: reset of a finalized iterator is not '
                'supported (as in Chainer); create a new iterator')
        super().reset()

    def _shutdown(self):
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
        self._buffers = None
        self._results = {}

    _transient = ('_queue', '_pool', '_buffers', '_results')

    def _reset_transient(self):
        self._pool = None
        self._buffers = None
        self._results = {}
