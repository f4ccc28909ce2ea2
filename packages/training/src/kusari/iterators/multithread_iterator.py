"""MultithreadIterator: examples fetched in a thread pool, batches prefetched."""
from multiprocessing import pool as mp_pool

from kusari.iterators import _prefetch


class MultithreadIterator(_prefetch.PrefetchIterator):
    """Dataset iterator that loads examples in parallel threads.

    Good when reading an example releases the GIL (file I/O, image decoding in
    C).  The next batch is fetched while the current one is used.  Same
    arguments and progress properties as :class:`~kusari.iterators.SerialIterator`,
    plus:

    Args:
        n_threads (int): The number of worker threads.
        n_prefetch (int): How many batches are fetched ahead (besides the one
            awaited).

    Call :meth:`finalize` (or use it as a context manager) to stop the threads.

    >>> from kusari.iterators import MultithreadIterator
    >>> with MultithreadIterator(list(range(5)), 2, shuffle=False, n_threads=2) as it:
    ...     next(it), next(it), next(it)
    ([0, 1], [2, 3], [4, 0])

    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None, n_threads=1,
                 order_sampler=None, n_prefetch=1):
        if isinstance(n_threads, bool) or not isinstance(n_threads, int) or n_threads < 1:
            raise ValueError('MultithreadIterator: n_threads must be a positive int, '
                             'got {!r}'.format(n_threads))
        self.n_threads = n_threads
        self._pool = None
        super().__init__(dataset, batch_size, repeat, shuffle, order_sampler,
                         n_prefetch)

    def _submit(self, indices, slot):
        if self._pool is None:
            self._pool = mp_pool.ThreadPool(self.n_threads)
        return self._pool.map_async(self.dataset.__getitem__, indices)

    def _collect(self, pending, slot):
        return pending.get()

    def _shutdown(self):
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
            pool.join()

    _transient = ('_queue', '_pool')

    def _reset_transient(self):
        self._pool = None
