"""SubDataset and the helpers that split a dataset (train/validation, n-fold)."""
import numpy

from kusari.dataset import dataset_mixin


class SubDataset(dataset_mixin.DatasetMixin):
    """A contiguous part ``[start, finish)`` of a dataset, optionally reordered.

    Args:
        dataset: The base dataset.
        start (int): The first index (in ``order`` if given).
        finish (int): One past the last index.
        order (sequence of ints): A permutation of the base dataset's indices;
            the sub dataset's ``i``-th example is ``dataset[order[start + i]]``.

    >>> from kusari.datasets import SubDataset
    >>> sub = SubDataset(list('abcdef'), 1, 4, order=[5, 4, 3, 2, 1, 0])
    >>> len(sub), sub[0], sub[-1], sub[:]
    (3, 'e', 'c', ['e', 'd', 'c'])

    """

    def __init__(self, dataset, start, finish, order=None):
        if start < 0 or finish > len(dataset) or start > finish:
            raise ValueError(
                'SubDataset: subset [{}, {}) overruns the base dataset of length {}'
                .format(start, finish, len(dataset)))
        if order is not None and len(order) != len(dataset):
            raise ValueError(
                'SubDataset: order option must have the same length as the base '
                'dataset: len(order) = {} while len(dataset) = {}'.format(
                    len(order), len(dataset)))
        self._dataset = dataset
        self._start = start
        self._finish = finish
        self._size = finish - start
        self._order = order

    def __len__(self):
        return self._size

    def __getitem__(self, index):
        # Negative ints are handled by get_example itself (relative to `finish`).
        if isinstance(index, (int, numpy.integer)):
            return self.get_example(index)
        return super().__getitem__(index)

    def get_example(self, i):
        if i >= 0:
            if i >= self._size:
                raise IndexError('SubDataset: index {} out of range for length {}'
                                 .format(i, self._size))
            index = self._start + i
        else:
            if i < -self._size:
                raise IndexError('SubDataset: index {} out of range for length {}'
                                 .format(i, self._size))
            index = self._finish + i
        if self._order is not None:
            index = self._order[index]
        return self._dataset[index]


def split_dataset(dataset, split_at, order=None):
    """Split a dataset into two at ``split_at``.

    Args:
        dataset: The dataset.
        split_at (int): The size of the first part (``0 <= split_at <= len``).
        order (sequence of ints): A permutation of the indices to split instead.

    Returns:
        tuple: Two :class:`SubDataset`: ``[0, split_at)`` and ``[split_at, len)``.

    >>> from kusari.datasets import split_dataset
    >>> a, b = split_dataset([1, 2, 3, 4, 5], 2)
    >>> list(a), list(b)
    ([1, 2], [3, 4, 5])

    """
    n_examples = len(dataset)
    if isinstance(split_at, bool) or not isinstance(split_at, (int, numpy.integer)):
        raise TypeError('split_dataset: split_at must be int, got {} instead'.format(
            type(split_at).__name__))
    if split_at < 0:
        raise ValueError('split_dataset: split_at must be non-negative, got {}'.format(
            split_at))
    if split_at > n_examples:
        raise ValueError('split_dataset: split_at ({}) exceeds the dataset size ({})'
                         .format(split_at, n_examples))
    return (SubDataset(dataset, 0, split_at, order),
            SubDataset(dataset, split_at, n_examples, order))


def split_dataset_random(dataset, first_size, seed=None):
    """Split a dataset into two at random (a permutation drawn with ``seed``).

    Args:
        dataset: The dataset.
        first_size (int): The size of the first part.
        seed (int): The seed of the permutation (``None``: unpredictable).

    Returns:
        tuple: Two :class:`SubDataset`.

    """
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset(dataset, first_size, order)


def split_dataset_n(dataset, n, order=None):
    """Split a dataset into ``n`` parts of ``len(dataset) // n`` examples each.

    The last ``len(dataset) % n`` examples are left out (as in Chainer).

    Args:
        dataset: The dataset.
        n (int): The number of parts.
        order (sequence of ints): A permutation of the indices.

    Returns:
        list: ``n`` :class:`SubDataset`.

    >>> from kusari.datasets import split_dataset_n
    >>> [list(s) for s in split_dataset_n(list(range(7)), 3)]
    [[0, 1], [2, 3], [4, 5]]

    """
    if isinstance(n, bool) or not isinstance(n, (int, numpy.integer)) or n <= 0:
        raise ValueError('split_dataset_n: n must be a positive int, got {!r}'.format(n))
    sub_size = len(dataset) // n
    return [SubDataset(dataset, sub_size * i, sub_size * (i + 1), order)
            for i in range(n)]


def split_dataset_n_random(dataset, n, seed=None):
    """:func:`split_dataset_n` after a random permutation drawn with ``seed``."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return split_dataset_n(dataset, n, order)


def get_cross_validation_datasets(dataset, n_folds=None, order=None, **kwargs):
    """Make ``n_folds`` (training, validation) pairs for cross validation.

    The dataset is divided into ``n_folds`` nearly equal parts; the ``i``-th pair
    takes one part as validation set and the rest, in a rotated order, as
    training set (Chainer's layout).

    Args:
        dataset: The dataset.
        n_folds (int): The number of folds (``n_fold`` is accepted as well).
        order (sequence of ints): A permutation of the indices.

    Returns:
        list: ``n_folds`` tuples ``(train, validation)`` of :class:`SubDataset`.

    >>> from kusari.datasets import get_cross_validation_datasets
    >>> [(list(tr), list(te)) for tr, te in
    ...  get_cross_validation_datasets([1, 2, 3, 4, 5, 6], 3)][1]
    ([5, 6, 1, 2], [3, 4])

    """
    if 'n_fold' in kwargs:
        if n_folds is not None:
            raise TypeError('get_cross_validation_datasets: give n_folds or n_fold, '
                            'not both')
        n_folds = kwargs.pop('n_fold')
    if kwargs:
        raise TypeError('get_cross_validation_datasets: unexpected arguments {}'.format(
            sorted(kwargs)))
    if isinstance(n_folds, bool) or not isinstance(n_folds, (int, numpy.integer)) \
            or n_folds <= 0:
        raise ValueError('get_cross_validation_datasets: n_folds must be a positive '
                         'int, got {!r}'.format(n_folds))
    if order is None:
        order = numpy.arange(len(dataset))
    else:
        order = numpy.array(order)
    whole_size = len(dataset)
    borders = [whole_size * i // n_folds for i in range(n_folds + 1)]
    test_sizes = [borders[i + 1] - borders[i] for i in range(n_folds)]
    splits = []
    for test_size in reversed(test_sizes):
        splits.append(split_dataset(dataset, whole_size - test_size, order))
        # Rotate so that the next validation part comes last.
        order = numpy.roll(order, test_size)
    return splits


def get_cross_validation_datasets_random(dataset, n_folds, seed=None, **kwargs):
    """:func:`get_cross_validation_datasets` after a random permutation."""
    order = numpy.random.RandomState(seed).permutation(len(dataset))
    return get_cross_validation_datasets(dataset, n_folds, order, **kwargs)
