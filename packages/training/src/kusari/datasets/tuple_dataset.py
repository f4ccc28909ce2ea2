"""TupleDataset: several equally long datasets zipped into tuples."""
import numpy


def _take(dataset, index):
    """``dataset[index]`` for an int/slice; a list for a list/array of indices."""
    if isinstance(index, (list, numpy.ndarray)) and not isinstance(dataset, numpy.ndarray):
        return [dataset[i] for i in index]
    return dataset[index]


class TupleDataset:
    """A dataset whose ``i``-th example is ``(d0[i], d1[i], ...)``.

    Args:
        *datasets: Datasets (arrays, lists, other datasets) of the same length.

    ``dataset[slice]`` (or a list/array of indices) returns a list of tuples.

    >>> import numpy
    >>> from kusari.datasets import TupleDataset
    >>> ds = TupleDataset(numpy.arange(3) * 10, ['a', 'b', 'c'])
    >>> x, t = ds[1]
    >>> len(ds), int(x), t
    (3, 10, 'b')
    >>> [(int(x), t) for x, t in ds[:2]]
    [(0, 'a'), (10, 'b')]

    """

    def __init__(self, *datasets):
        if not datasets:
            raise ValueError('TupleDataset: no datasets are given')
        length = len(datasets[0])
        for i, dataset in enumerate(datasets):
            if len(dataset) != length:
                raise ValueError(
                    'TupleDataset: dataset of the index {} has a wrong length: {} '
                    '(expected {}, the length of dataset 0)'.format(
                        i, len(dataset), length))
        self._datasets = datasets
        self._length = length

    def __getitem__(self, index):
        batches = [_take(dataset, index) for dataset in self._datasets]
        if isinstance(index, (slice, list, numpy.ndarray)):
            return [tuple(batch[i] for batch in batches) for i in range(len(batches[0]))]
        return tuple(batches)

    def __len__(self):
        return self._length
