"""DatasetMixin: indexing (ints, slices, lists) on top of ``get_example``."""
import numpy


class DatasetMixin:
    """Base class of datasets that implement ``__len__`` and ``get_example(i)``.

    ``dataset[i]`` calls ``get_example(i)``; ``dataset[a:b:c]``, ``dataset[list]``
    and ``dataset[ndarray]`` return lists of examples.

    >>> from kusari.dataset import DatasetMixin
    >>> class Squares(DatasetMixin):
    ...     def __len__(self):
    ...         return 5
    ...     def get_example(self, i):
    ...         return i * i
    >>> d = Squares()
    >>> d[3], d[1:4], d[[0, 4]], d[-1]
    (9, [1, 4, 9], [0, 16], 16)

    """

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            return [self.get_example(i) for i in range(start, stop, step)]
        if isinstance(index, (list, numpy.ndarray)):
            return [self.get_example(i) for i in index]
        if isinstance(index, (int, numpy.integer)) and index < 0:
            # Negative indices count from the end, as for a list.
            n = len(self)
            if index < -n:
                raise IndexError('{}: index {} out of range for length {}'.format(
                    type(self).__name__, index, n))
            index += n
        return self.get_example(index)

    def __len__(self):
        """The number of examples."""
        raise NotImplementedError(
            '{}.__len__ is not implemented'.format(type(self).__name__))

    def get_example(self, i):
        """Return the ``i``-th example."""
        raise NotImplementedError(
            '{}.get_example is not implemented'.format(type(self).__name__))
