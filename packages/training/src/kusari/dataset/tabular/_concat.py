"""concat(): datasets one after another (rows)."""
from kusari.dataset.tabular import _utils
from kusari.dataset.tabular import tabular_dataset


class Concat(tabular_dataset.TabularDataset):
    """The rows of several tabular datasets with the same keys, in a row."""

    def __init__(self, *datasets):
        if not datasets:
            raise ValueError('TabularDataset.concat: no datasets')
        keys = datasets[0].keys
        for dataset in datasets[1:]:
            if dataset.keys != keys:
                raise ValueError('TabularDataset.concat: keys {} differ from {} (same '
                                 'keys in the same order are needed)'.format(
                                     dataset.keys, keys))
        self._datasets = datasets

    def __len__(self):
        return sum(len(d) for d in self._datasets)

    @property
    def keys(self):
        return self._datasets[0].keys

    @property
    def mode(self):
        return self._datasets[0].mode

    def get_examples(self, indices, key_indices):
        n_cols = len(self.keys) if key_indices is None else len(key_indices)
        total = len(self)
        rows = _utils.as_range(indices, total)
        # Which dataset serves each requested row, in the requested order.
        requests = []          # (dataset number, local request) in order of first use
        owner = []             # for each requested row: dataset number
        offsets = []
        offset = 0
        for d in self._datasets:
            offsets.append(offset)
            offset += len(d)
        local_rows = [[] for _ in self._datasets]
        for row in rows:
            k = _find(offsets, row)
            owner.append(k)
            local_rows[k].append(row - offsets[k])
        used = [k for k in range(len(self._datasets)) if local_rows[k]]
        if not used:
            return tuple([] for _ in range(n_cols))
        for k in used:
            if indices is None and len(local_rows[k]) == len(self._datasets[k]):
                local = None
            elif isinstance(indices, slice) or indices is None:
                local = _local_slice(indices, total, offsets[k],
                                     len(self._datasets[k]), local_rows[k])
            else:
                local = local_rows[k]
            requests.append((k, local))
        if len(requests) == 1:
            k, local = requests[0]
            return self._datasets[k].get_examples(local, key_indices)
        fetched = {k: self._datasets[k].get_examples(local, key_indices)
                   for k, local in requests}
        pointers = {k: 0 for k in fetched}
        columns = tuple([] for _ in range(n_cols))
        for k in owner:
            p = pointers[k]
            for col, src in zip(columns, fetched[k]):
                col.append(src[p])
            pointers[k] = p + 1
        return columns

    def convert(self, data):
        return self._datasets[0].convert(data)


def _find(offsets, row):
    lo, hi = 0, len(offsets) - 1
    while lo < hi:                   # the last offset <= row
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= row:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _local_slice(indices, total, offset, length, local_rows):
    """The slice of one dataset that yields ``local_rows`` (global request a slice)."""
    if indices is None:
        indices = slice(None)
    _, stop, step = indices.indices(total)
    start = local_rows[0]
    local_stop = stop - offset
    if not 0 <= local_stop < length:
        local_stop = None
    return slice(start, local_stop, step)
