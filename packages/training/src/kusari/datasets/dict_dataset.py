"""DictDataset: several equally long datasets zipped into dicts."""
import numpy

from kusari.datasets.tuple_dataset import _take


class DictDataset:
    """A dataset whose ``i``-th example is ``{key: datasets[key][i], ...}``.

    Args:
        **datasets: Datasets of the same length, by key.

    >>> from kusari.datasets import DictDataset
    >>> ds = DictDataset(x=[1, 2, 3], y=['a', 'b', 'c'])
    >>> ds[2] == {'x': 3, 'y': 'c'}, len(ds)
    (True, 3)

    """

    def __init__(self, **datasets):
        if not datasets:
            raise ValueError('DictDataset: no datasets are given')
        length = None
        for key, dataset in datasets.items():
            if length is None:
                length, first = len(dataset), key
            elif len(dataset) != length:
                raise ValueError(
                    'DictDataset: dataset of key {!r} has a wrong length: {} (expected '
                    '{}, the length of {!r})'.format(key, len(dataset), length, first))
        self._datasets = datasets
        self._length = length

    def __getitem__(self, index):
        batches = {key: _take(dataset, index) for key, dataset in self._datasets.items()}
        if isinstance(index, (slice, list, numpy.ndarray)):
            length = len(next(iter(batches.values())))
            return [{key: batch[i] for key, batch in batches.items()}
                    for i in range(length)]
        return batches

    def __len__(self):
        return self._length
