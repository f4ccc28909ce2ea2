"""DelegateDataset: a tabular dataset that forwards everything to another one."""
from kusari.dataset.tabular import tabular_dataset


class DelegateDataset(tabular_dataset.TabularDataset):
    """Wraps a tabular dataset (a base for classes that add behaviour).

    Args:
        dataset (TabularDataset): The dataset to forward to (``self.dataset``).

    """

    def __init__(self, dataset):
        self.dataset = dataset

    def __len__(self):
        return len(self.dataset)

    @property
    def keys(self):
        return self.dataset.keys

    @property
    def mode(self):
        return self.dataset.mode

    def get_examples(self, indices, key_indices):
        return self.dataset.get_examples(indices, key_indices)

    def convert(self, data):
        return self.dataset.convert(data)
