"""create_synchronized_iterator: shuffling iterators that agree on their order."""
import numpy as np


def create_synchronized_iterator(actual_iterator, communicator):
    """Make every process's ``actual_iterator`` shuffle in the same order.

    A seed drawn on rank 0 is broadcast; the iterator gets a
    ``kusari.iterators.ShuffleOrderSampler`` seeded with it and is reset.

    Args:
        actual_iterator: An iterator with an ``order_sampler`` (SerialIterator,
            MultiprocessIterator, MultithreadIterator).
        communicator: A communicator.

    Returns:
        ``actual_iterator`` itself.
    """
    from kusari.iterators import ShuffleOrderSampler
    if not hasattr(actual_iterator, 'order_sampler'):
        raise ValueError('create_synchronized_iterator: the iterator needs an '
                         'order_sampler attribute, got {}'.format(
                             type(actual_iterator).__name__))
    seed = communicator.bcast_obj(
        int(np.random.randint(0, 2 ** 31)) if communicator.rank == 0 else None, root=0)
    actual_iterator.order_sampler = ShuffleOrderSampler(np.random.RandomState(seed))
    actual_iterator.reset()
    return actual_iterator
