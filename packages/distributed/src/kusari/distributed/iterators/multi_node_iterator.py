"""create_multi_node_iterator: one rank iterates, every rank gets the same batches."""


class _MultiNodeIterator:
    """The master's iterator drives; batches and epoch state are broadcast."""

    def __init__(self, actual_iterator, communicator, rank_master):
        self.communicator = communicator
        self.rank_master = rank_master
        self.actual_iterator = actual_iterator if communicator.rank == rank_master \
            else None
        self._state = communicator.bcast_obj(
            self._read_state() if self.actual_iterator is not None else None,
            root=rank_master)

    def _read_state(self):
        it = self.actual_iterator
        return {'epoch': it.epoch, 'is_new_epoch': it.is_new_epoch,
                'epoch_detail': it.epoch_detail,
                'previous_epoch_detail': getattr(it, 'previous_epoch_detail', None),
                'batch_size': getattr(it, 'batch_size', None)}

    def __iter__(self):
        return self

    def __next__(self):
        if self.actual_iterator is not None:
            try:
                batch, stop = next(self.actual_iterator), False
            except StopIteration:
                batch, stop = None, True
            message = (stop, batch, self._read_state())
        else:
            message = None
        stop, batch, state = self.communicator.bcast_obj(message, root=self.rank_master)
        self._state = state
        if stop:
            raise StopIteration
        return batch

    next = __next__

    def __getattr__(self, name):
        state = self.__dict__.get('_state') or {}
        if name in state:
            return state[name]
        raise AttributeError(name)

    def reset(self):
        if self.actual_iterator is not None:
            self.actual_iterator.reset()
        self._state = self.communicator.bcast_obj(
            self._read_state() if self.actual_iterator is not None else None,
            root=self.rank_master)

    def finalize(self):
        if self.actual_iterator is not None:
            self.actual_iterator.finalize()

    def serialize(self, serializer):
        if self.actual_iterator is not None:
            self.actual_iterator.serialize(serializer)


def create_multi_node_iterator(actual_iterator, communicator, rank_master=0):
    """An iterator giving every process the batches of ``rank_master``'s iterator.

    For model-parallel jobs whose ranks must see the same examples.  Batches are
    pickled to the other ranks (trusted peers of one MPI job).

    Args:
        actual_iterator: The iterator (used on ``rank_master`` only; other ranks
            may pass anything, e.g. ``None``).
        communicator: A communicator.
        rank_master (int): The rank whose iterator runs.
    """
    return _MultiNodeIterator(actual_iterator, communicator, rank_master)
