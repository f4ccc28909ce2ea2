"""TransformDataset: apply a function to every example when it is read."""
from kusari.dataset import dataset_mixin


class TransformDataset(dataset_mixin.DatasetMixin):
    """A dataset that returns ``transform(dataset[i])``.

    The transform runs lazily, on every access (so random augmentation differs
    each epoch).

    Args:
        dataset: The underlying dataset.
        transform (callable): Called with one example; returns the new example.

    >>> from kusari.datasets import TransformDataset
    >>> ds = TransformDataset([1, 2, 3], lambda x: x * 10)
    >>> ds[1], ds[:], len(ds)
    (20, [10, 20, 30], 3)

    """

    def __init__(self, dataset, transform):
        if not callable(transform):
            raise TypeError('TransformDataset: transform must be callable, got {}'
                            .format(type(transform).__name__))
        self._dataset = dataset
        self._transform = transform

    def __len__(self):
        return len(self._dataset)

    def get_example(self, i):
        return self._transform(self._dataset[i])
