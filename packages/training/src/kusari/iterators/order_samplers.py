"""Order samplers: decide the order in which an iterator visits a dataset."""
import numpy

from kusari import serializer as serializer_module


class OrderSampler:
    """Base class of order samplers.

    An order sampler is called at the start of every epoch as
    ``sampler(current_order, current_position)`` and returns the indices (a 1-d
    integer array) that the next epoch visits, in order.
    """

    def __call__(self, current_order, current_position):
        """Return the order of the next epoch.

        Args:
            current_order (numpy.ndarray): The order of the epoch that ends.
            current_position (int): The position in ``current_order`` reached.

        Returns:
            numpy.ndarray: 1-d integer indices into the dataset.

        """
        raise NotImplementedError(
            '{}.__call__ is not implemented'.format(type(self).__name__))


class ShuffleOrderSampler(OrderSampler):
    """An order sampler that shuffles the dataset at every epoch.

    Args:
        random_state (numpy.random.RandomState): The random number generator;
            ``None`` uses NumPy's global one (so ``numpy.random.seed`` applies).

    >>> import numpy
    >>> from kusari.iterators import ShuffleOrderSampler
    >>> sampler = ShuffleOrderSampler(numpy.random.RandomState(0))
    >>> sorted(sampler(numpy.arange(5), 0).tolist())
    [0, 1, 2, 3, 4]

    """

    def __init__(self, random_state=None):
        # only a generator of its own is saved in snapshots (restoring NumPy's global
        # one on load would change every other user of it)
        self._owns_random = random_state is not None
        if random_state is None:
            random_state = numpy.random.random.__self__
        self._random = random_state

    def __call__(self, current_order, current_position):
        return self._random.permutation(len(current_order))

    def serialize(self, serializer):
        """Save or load the state of the sampler's own ``RandomState`` (kusari's addition).

        With it, a run resumed from a snapshot shuffles its later epochs exactly as the
        uninterrupted run would.  Nothing is stored when the sampler uses NumPy's
        global generator, and a snapshot without the state (Chainer's) loads as before.
        """
        if not self._owns_random:
            return
        name, key, pos, has_gauss, gauss = self._random.get_state()
        if name != 'MT19937':
            return
        try:
            key = serializer('mt19937_key', numpy.asarray(key, numpy.uint32))
            pos = serializer('mt19937_pos', numpy.int64(pos))
            has_gauss = serializer('has_gauss', numpy.int64(has_gauss))
            gauss = serializer('cached_gaussian', numpy.float64(gauss))
        except KeyError:
            return
        if isinstance(serializer, serializer_module.Deserializer):
            self._random.set_state(('MT19937', numpy.asarray(key, numpy.uint32),
                                    int(pos), int(has_gauss), float(gauss)))
