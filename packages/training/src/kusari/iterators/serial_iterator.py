"""SerialIterator: minibatches taken from the dataset in the calling thread."""
import numpy

from kusari.dataset import iterator
from kusari.iterators import _statemachine


class SerialIterator(_statemachine.EpochMixin, iterator.Iterator):
    """Dataset iterator that reads the examples one by one in the main thread.

    Args:
        dataset: A dataset (anything with ``__len__`` and ``__getitem__``).
        batch_size (int): The number of examples per minibatch (> 0).
        repeat (bool): Loop over the dataset forever (``True``) or stop after one
            epoch (``StopIteration``).
        shuffle (bool): Shuffle the order at every epoch.  ``None`` (the default)
            means shuffling unless ``order_sampler`` is given.
        order_sampler (callable): An :class:`~kusari.iterators.OrderSampler`
            giving the order of every epoch; exclusive with ``shuffle``.

    >>> from kusari.iterators import SerialIterator
    >>> it = SerialIterator(list(range(5)), 2, shuffle=False)
    >>> next(it), next(it), next(it)
    ([0, 1], [2, 3], [4, 0])
    >>> it.epoch, it.is_new_epoch, it.epoch_detail
    (1, True, 1.2)

    """

    def __init__(self, dataset, batch_size, repeat=True, shuffle=None,
                 order_sampler=None):
        who = type(self).__name__
        self.dataset = dataset
        self.batch_size = _statemachine.check_batch_size(batch_size, who)
        self._repeat = repeat
        self._shuffle = shuffle
        self.order_sampler = _statemachine.resolve_order_sampler(
            shuffle, order_sampler, who)
        self.reset()

    def __next__(self):
        """Return the next minibatch: a list of ``batch_size`` examples (fewer at
        the end of a non-repeating epoch); ``StopIteration`` after it."""
        self._previous_epoch_detail = self.epoch_detail
        self._state, indices = _statemachine.iterator_statemachine(
            self._state, self.batch_size, self.repeat, self.order_sampler,
            len(self.dataset), type(self).__name__)
        if indices is None:
            raise StopIteration
        dataset = self.dataset
        return [dataset[index] for index in indices.tolist()]

    next = __next__

    def reset(self):
        """Go back to the beginning (epoch 0, a fresh order)."""
        if self.order_sampler is not None:
            order = self.order_sampler(numpy.arange(len(self.dataset)), 0)
        else:
            order = None
        self._state = _statemachine.IteratorState(0, 0, False, order)
        self._previous_epoch_detail = -1.
