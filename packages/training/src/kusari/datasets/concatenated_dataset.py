"""ConcatenatedDataset: datasets one after another."""
import bisect

from kusari.dataset import dataset_mixin


class ConcatenatedDataset(dataset_mixin.DatasetMixin):
    """A dataset made of several datasets in a row.

    Args:
        *datasets: The datasets (any may be empty).

    >>> from kusari.datasets import ConcatenatedDataset
    >>> ds = ConcatenatedDataset([1, 2], [], [3])
    >>> len(ds), ds[2], ds[-1], ds[:]
    (3, 3, 3, [1, 2, 3])

    """

    def __init__(self, *datasets):
        self._datasets = datasets
        self._ends = []
        total = 0
        for dataset in datasets:
            total += len(dataset)
            self._ends.append(total)

    def __len__(self):
        return self._ends[-1] if self._ends else 0

    def get_example(self, i):
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError('ConcatenatedDataset: index out of range for length {}'
                             .format(n))
        k = bisect.bisect_right(self._ends, i)
        start = self._ends[k - 1] if k else 0
        return self._datasets[k][i - start]
