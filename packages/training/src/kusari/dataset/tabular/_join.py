"""join(): the columns of several datasets side by side."""
from kusari.dataset.tabular import tabular_dataset


class Join(tabular_dataset.TabularDataset):
    """The columns of several tabular datasets of the same length."""

    def __init__(self, *datasets):
        if not datasets:
            raise ValueError('TabularDataset.join: no datasets')
        length = len(datasets[0])
        seen = set()
        for dataset in datasets:
            if len(dataset) != length:
                raise ValueError('TabularDataset.join: datasets of lengths {} and {}'
                                 .format(length, len(dataset)))
            for key in dataset.keys:
                if key in seen:
                    raise ValueError('TabularDataset.join: key {!r} appears in more '
                                     'than one dataset'.format(key))
                seen.add(key)
        self._datasets = datasets

    def __len__(self):
        return len(self._datasets[0])

    @property
    def keys(self):
        return tuple(key for d in self._datasets for key in d.keys)

    @property
    def mode(self):
        for d in self._datasets:
            if d.mode:
                return d.mode
        return tuple

    def get_examples(self, indices, key_indices):
        if key_indices is None:
            return tuple(col for d in self._datasets
                         for col in d.get_examples(indices, None))
        # Split the requested columns by dataset, fetch each dataset once.
        bounds = []
        start = 0
        for d in self._datasets:
            bounds.append((start, start + len(d.keys)))
            start += len(d.keys)
        fetched = {}
        for k, (lo, hi) in enumerate(bounds):
            local = tuple(i - lo for i in key_indices if lo <= i < hi)
            if local:
                fetched[k] = dict(zip(local, self._datasets[k].get_examples(
                    indices, local)))
        out = []
        for i in key_indices:
            for k, (lo, hi) in enumerate(bounds):
                if lo <= i < hi:
                    out.append(fetched[k][i - lo])
                    break
            else:
                raise IndexError('TabularDataset.join: key index {} out of range'
                                 .format(i))
        return tuple(out)

    def convert(self, data):
        return self._datasets[0].convert(data)
