"""TupleDataset, DictDataset, SubDataset & splits, TransformDataset, ConcatenatedDataset."""
import numpy
import pytest

from kusari import datasets


def test_tuple_dataset():
    x, y = numpy.random.RandomState(0).rand(2, 5, 3)
    ds = datasets.TupleDataset(x, y)
    assert len(ds) == 5
    for i in range(5):
        a, b = ds[i]
        numpy.testing.assert_array_equal(a, x[i])
        numpy.testing.assert_array_equal(b, y[i])
    batch = ds[1:4]
    assert isinstance(batch, list) and len(batch) == 3
    numpy.testing.assert_array_equal(batch[2][1], y[3])
    picked = ds[[4, 0]]
    numpy.testing.assert_array_equal(picked[0][0], x[4])
    picked = datasets.TupleDataset([10, 20, 30], x[:3])[numpy.array([2, 0])]
    assert picked[0][0] == 30 and picked[1][0] == 10
    with pytest.raises(ValueError, match='TupleDataset.*index 1.*wrong length'):
        datasets.TupleDataset(x, y[:4])
    with pytest.raises(ValueError, match='no datasets'):
        datasets.TupleDataset()
    with pytest.raises(IndexError):
        ds[5]


def test_dict_dataset():
    x = numpy.arange(12).reshape(4, 3)
    ds = datasets.DictDataset(x=x, y=[1, 2, 3, 4])
    assert len(ds) == 4
    assert set(ds[2]) == {'x', 'y'} and ds[2]['y'] == 3
    numpy.testing.assert_array_equal(ds[2]['x'], x[2])
    batch = ds[::2]
    assert [b['y'] for b in batch] == [1, 3]
    with pytest.raises(ValueError, match="DictDataset.*wrong length"):
        datasets.DictDataset(x=x, y=[1])
    with pytest.raises(IndexError):
        ds[4]


def test_sub_dataset():
    original = list(range(10))
    sub = datasets.SubDataset(original, 2, 6)
    assert len(sub) == 4 and list(sub) == [2, 3, 4, 5]
    assert sub[-1] == 5 and sub[-4] == 2
    with pytest.raises(IndexError):
        sub[4]
    with pytest.raises(IndexError):
        sub[-5]
    order = numpy.random.RandomState(0).permutation(10)
    sub = datasets.SubDataset(original, 3, 7, order)
    assert list(sub) == order[3:7].tolist()
    with pytest.raises(ValueError, match='overruns'):
        datasets.SubDataset(original, 5, 11)
    with pytest.raises(ValueError, match='order option'):
        datasets.SubDataset(original, 0, 3, order=[0, 1])


def test_split_dataset():
    a, b = datasets.split_dataset(list(range(5)), 2)
    assert list(a) == [0, 1] and list(b) == [2, 3, 4]
    a, b = datasets.split_dataset(list(range(5)), 2, order=[4, 3, 2, 1, 0])
    assert list(a) == [4, 3] and list(b) == [2, 1, 0]
    with pytest.raises(TypeError, match='split_at must be int'):
        datasets.split_dataset([1, 2], 1.0)
    with pytest.raises(ValueError, match='non-negative'):
        datasets.split_dataset([1, 2], -1)
    with pytest.raises(ValueError, match='exceeds'):
        datasets.split_dataset([1, 2], 3)


def test_split_dataset_random_is_seeded_permutation():
    original = list(range(20))
    a, b = datasets.split_dataset_random(original, 7, seed=3)
    order = numpy.random.RandomState(3).permutation(20)
    assert list(a) == order[:7].tolist() and list(b) == order[7:].tolist()
    c, d = datasets.split_dataset_random(original, 7, seed=3)
    assert list(a) == list(c)


def test_split_dataset_n():
    subsets = datasets.split_dataset_n(list(range(7)), 3)
    assert [list(s) for s in subsets] == [[0, 1], [2, 3], [4, 5]]
    subsets = datasets.split_dataset_n(list(range(7)), 2, list(range(6, -1, -1)))
    assert [list(s) for s in subsets] == [[6, 5, 4], [3, 2, 1]]
    subsets = datasets.split_dataset_n_random(list(range(7)), 3, seed=1)
    assert all(len(s) == 2 for s in subsets)
    union = set(subsets[0]) | set(subsets[1]) | set(subsets[2])
    assert len(union) == 6
    order = numpy.random.RandomState(1).permutation(7)
    assert list(subsets[0]) == order[:2].tolist()


@pytest.mark.parametrize('n, expected', [
    (6, [([1, 2, 3, 4], [5, 6]), ([5, 6, 1, 2], [3, 4]), ([3, 4, 5, 6], [1, 2])]),
    (7, [([1, 2, 3, 4], [5, 6, 7]), ([5, 6, 7, 1, 2], [3, 4]),
         ([3, 4, 5, 6, 7], [1, 2])]),
])
def test_cross_validation(n, expected):
    cvs = datasets.get_cross_validation_datasets(list(range(1, n + 1)), 3)
    assert [(list(tr), list(te)) for tr, te in cvs] == expected
    cvs = datasets.get_cross_validation_datasets(list(range(1, n + 1)), n_fold=3)
    assert [(list(tr), list(te)) for tr, te in cvs] == expected


def test_cross_validation_random():
    original = list(range(1, 10))
    cvs = datasets.get_cross_validation_datasets_random(original, 3, seed=5)
    for tr, te in cvs:
        assert sorted(list(tr) + list(te)) == original
    assert sorted(sum((list(te) for _, te in cvs), [])) == original
    again = datasets.get_cross_validation_datasets_random(original, 3, seed=5)
    assert [list(te) for _, te in cvs] == [list(te) for _, te in again]


def test_transform_dataset():
    ds = datasets.TransformDataset(numpy.arange(5), lambda x: (x, x * x))
    assert len(ds) == 5 and ds[3] == (3, 9)
    assert ds[1:3] == [(1, 1), (2, 4)]
    with pytest.raises(IndexError):
        ds[5]
    with pytest.raises(TypeError, match='callable'):
        datasets.TransformDataset([1], 3)


@pytest.mark.parametrize('parts', [
    ([1, 2], [3, 4, 5]), ([1], [], [2, 3], []), ([],), (), ([], []),
    (numpy.arange(3), numpy.arange(4) + 10)])
def test_concatenated_dataset(parts):
    ds = datasets.ConcatenatedDataset(*parts)
    expected = [x for p in parts for x in p]
    assert len(ds) == len(expected)
    assert [ds[i] for i in range(len(ds))] == expected
    assert ds[1:8:2] == expected[1:8:2]
    if expected:
        assert ds[-1] == expected[-1]
    with pytest.raises(IndexError):
        ds[len(expected)]
