"""``dataset.slice[rows, keys]``."""
from kusari.dataset.tabular import _utils
from kusari.dataset.tabular import tabular_dataset


class SliceHelper:
    """The object returned by :attr:`TabularDataset.slice`; index it."""

    def __init__(self, dataset):
        self._dataset = dataset

    def __getitem__(self, args):
        if isinstance(args, tuple):
            if len(args) != 2:
                raise IndexError('TabularDataset.slice: expected [rows] or [rows, keys]')
            indices, keys = args
        else:
            indices, keys = args, None
        return Slice(self._dataset, indices, keys)


class Slice(tabular_dataset.TabularDataset):
    """A view of some rows and columns of a tabular dataset."""

    def __init__(self, dataset, indices, keys):
        who = 'TabularDataset.slice'
        self._dataset = dataset
        self._indices = _utils.normalize_indices(indices, len(dataset), who)
        if keys is None:
            self._key_indices = None
            self._mode = dataset.mode
        elif isinstance(keys, tuple):
            self._key_indices = tuple(_utils.key_index(dataset.keys, k, who)
                                      for k in keys)
            self._mode = dataset.mode or tuple
        else:
            self._key_indices = (_utils.key_index(dataset.keys, keys, who),)
            self._mode = None

    def __len__(self):
        return len(_utils.as_range(self._indices, len(self._dataset)))

    @property
    def keys(self):
        return _utils.take_columns(self._dataset.keys, self._key_indices)

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        return self._dataset.get_examples(
            _utils.compose_indices(self._indices, indices, len(self._dataset)),
            _utils.compose_key_indices(self._key_indices, key_indices))

    def convert(self, data):
        return self._dataset.convert(data)
