"""The base of the iterators that fetch batches ahead in a pool of workers.

The delivered position (``_state``) and the prefetch position (``_head_state``)
are kept apart: ``epoch``/``epoch_detail``/``serialize`` always describe the
batches handed out, never the ones still in flight.  Batches are handed out in
order, through a FIFO of ``(state after the batch, pending result, slot)``.
"""
import collections

import numpy

from kusari import serializer as serializer_module
from kusari.dataset import iterator
from kusari.iterators import _statemachine


class PrefetchIterator(_statemachine.EpochMixin, iterator.Iterator):
    """Keeps up to ``n_prefetch + 1`` batches in flight (see the module doc)."""

    def __init__(self, dataset, batch_size, repeat, shuffle, order_sampler,
                 n_prefetch):
        who = type(self).__name__
        self.dataset = dataset
        self.batch_size = _statemachine.check_batch_size(batch_size, who)
        self._repeat = repeat
        self._shuffle = shuffle
        self.order_sampler = _statemachine.resolve_order_sampler(
            shuffle, order_sampler, who)
        if isinstance(n_prefetch, bool) or not isinstance(
                n_prefetch, (int, numpy.integer)) or n_prefetch < 1:
            raise ValueError('{}: n_prefetch must be a positive int, got {!r}'.format(
                who, n_prefetch))
        self.n_prefetch = int(n_prefetch)
        self._queue = collections.deque()
        self._submitted = 0
        self.reset()

    # -- to implement ------------------------------------------------------------------

    def _submit(self, indices, slot):
        """Start fetching ``dataset[i] for i in indices``; return a pending result."""
        raise NotImplementedError

    def _collect(self, pending, slot):
        """Wait for ``pending`` and return the list of examples."""
        raise NotImplementedError

    def _shutdown(self):
        """Stop the workers and wait until they are gone."""
        raise NotImplementedError

    # -- the protocol ------------------------------------------------------------------

    @property
    def _n_slots(self):
        return self.n_prefetch + 1

    def _fill(self):
        queue = self._queue
        while len(queue) < self._n_slots:
            if queue and queue[-1][1] is None:
                return            # the end of a non-repeating iterator is queued
            state, indices = _statemachine.iterator_statemachine(
                self._head_state, self.batch_size, self.repeat, self.order_sampler,
                len(self.dataset), type(self).__name__)
            if indices is None:
                queue.append((state, None, None))
                return
            slot = self._submitted % self._n_slots
            pending = self._submit(indices.tolist(), slot)
            self._submitted += 1
            queue.append((state, pending, slot))
            self._head_state = state

    def __next__(self):
        """Return the next minibatch (a list of examples), fetched ahead by workers."""
        try:
            self._fill()
            state, pending, slot = self._queue.popleft()
            self._previous_epoch_detail = self.epoch_detail
            if pending is None:
                self._head_state = self._state
                raise StopIteration
            batch = self._collect(pending, slot)
        except StopIteration:
            raise
        except BaseException:
            # A failing dataset or a dead worker: leave nothing running behind.
            self._finalize_workers()
            raise
        self._state = state
        try:
            self._fill()
        except Exception:
            # The batch is good; the failure (if lasting) shows on the next call,
            # which starts from a clean slate.
            self._finalize_workers()
        return batch

    next = __next__

    def _drain(self):
        """Wait for the batches in flight (their slots may still be written), drop them."""
        while self._queue:
            _, pending, slot = self._queue.popleft()
            if pending is not None:
                try:
                    self._collect(pending, slot)
                except Exception:
                    # A broken batch or worker: start afresh on next use.
                    self._finalize_workers()
                    return
        self._submitted = 0

    def reset(self):
        """Go back to the beginning (epoch 0, a fresh order); drops prefetched batches."""
        self._drain()
        if self.order_sampler is not None:
            order = self.order_sampler(numpy.arange(len(self.dataset)), 0)
        else:
            order = None
        self._state = _statemachine.IteratorState(0, 0, False, order)
        self._head_state = self._state
        self._previous_epoch_detail = -1.

    def serialize(self, serializer):
        """Save/load the position, epoch, order and previous epoch detail.

        Loading drops the batches prefetched from the old position.
        """
        loading = isinstance(serializer, serializer_module.Deserializer)
        if loading:
            self._drain()
        _statemachine.serialize_state(self, serializer)
        if loading:
            self._head_state = self._state

    def finalize(self):
        """Stop the workers and wait until they are gone.

        Batches in flight are dropped; the iterator may still be used afterwards
        (new workers are started on the next ``next()``, from the position of the
        last batch handed out).
        """
        self._finalize_workers()

    def _finalize_workers(self):
        # (also used internally after a failure; finalize() is the user's call)
        self._queue.clear()
        self._submitted = 0
        self._head_state = getattr(self, '_state', None)
        self._shutdown()

    # Attributes that belong to this object only (workers, batches in flight):
    # copies and unpickled objects start their own on first use, from the
    # position of the last batch handed out.
    _transient = ('_queue',)

    def _reset_transient(self):
        pass

    def __getstate__(self):
        state = self.__dict__.copy()
        for name in self._transient:
            state.pop(name, None)
        state['_submitted'] = 0
        state['_head_state'] = state['_state']
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._queue = collections.deque()
        self._reset_transient()

    def __copy__(self):
        new = type(self).__new__(type(self))
        new.__setstate__(self.__getstate__())
        return new

    def __del__(self):
        try:
            self._finalize_workers()
        except Exception:
            pass
