"""DatasetMixin indexing."""
import numpy
import pytest

from kusari import dataset


class Squares(dataset.DatasetMixin):
    def __len__(self):
        return 6

    def get_example(self, i):
        if not 0 <= i < 6:
            raise IndexError(i)
        return i * i


def test_indexing():
    ds = Squares()
    assert ds[2] == 4 and ds[-1] == 25
    assert ds[1:5:2] == [1, 9]
    assert ds[::-1] == [25, 16, 9, 4, 1, 0]
    assert ds[[0, 5]] == [0, 25]
    assert ds[numpy.array([3, 1])] == [9, 1]
    assert list(ds) == [0, 1, 4, 9, 16, 25]
    with pytest.raises(IndexError):
        ds[-7]


def test_not_implemented():
    with pytest.raises(NotImplementedError):
        len(dataset.DatasetMixin())
    with pytest.raises(NotImplementedError):
        dataset.DatasetMixin().get_example(0)
