"""TabularDataset and its views, against NumPy indexing of the same data."""
import itertools

import numpy
import pytest

from kusari import dataset
from kusari.dataset import tabular


class Dummy(dataset.TabularDataset):
    """Columns a, b, c (or only a with mode None) of random data; records requests."""

    def __init__(self, size=10, keys=('a', 'b', 'c'), mode=tuple, return_array=False,
                 convert=False, seed=0):
        if mode is None:
            keys = keys[:1]
        self._keys, self._mode = tuple(keys), mode
        self._return_array, self._convert = return_array, convert
        self.data = numpy.random.RandomState(seed).uniform(size=(len(keys), size))
        self.requests = []

    def __len__(self):
        return self.data.shape[1]

    @property
    def keys(self):
        return self._keys

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        self.requests.append((indices, key_indices))
        data = self.data
        if indices is not None:
            data = data[:, indices]
        if key_indices is not None:
            data = data[list(key_indices)]
        return tuple(data) if self._return_array else tuple(list(d) for d in data)

    def convert(self, data):
        return 'converted' if self._convert else super().convert(data)


def _expected(data, mode, keys):
    if mode is tuple:
        return tuple(data)
    if mode is dict:
        return dict(zip(keys, data))
    return data[0]


MODES = [tuple, dict, None]


@pytest.mark.parametrize('mode, return_array', list(itertools.product(MODES, [True, False])))
def test_fetch_get_example_iter_convert(mode, return_array):
    ds = Dummy(mode=mode, return_array=return_array)
    numpy.testing.assert_equal(ds.fetch(), _expected(ds.data, mode, ds.keys))
    assert ds.requests[-1] == (None, None)
    assert ds.get_example(3) == _expected(ds.data[:, 3], mode, ds.keys)
    assert ds.requests[-1] == ([3], None)
    assert list(ds) == [_expected(ds.data[:, i], mode, ds.keys) for i in range(10)]
    assert ds[-1] == ds.get_example(9)
    assert ds[2:5] == [ds.get_example(i) for i in range(2, 5)]
    converted = ds.convert(ds.fetch())
    values = converted.values() if mode is dict else (
        converted if mode is tuple else (converted,))
    assert all(isinstance(v, numpy.ndarray) for v in values)


@pytest.mark.parametrize('mode', [tuple, dict])
@pytest.mark.parametrize('keys, expected_keys, expected_mode', [
    (None, ('a', 'b', 'c'), 'same'), (1, ('b',), None), ((1,), ('b',), 'same'),
    ('c', ('c',), None), (('c',), ('c',), 'same'), ((-1, 'a'), ('c', 'a'), 'same'),
    ((), (), 'same')])
@pytest.mark.parametrize('indices', [
    slice(None), [3, -2], [i in {1, 3} for i in range(10)], slice(3, None, -2),
    [False, 3, 9, 5, True], [], numpy.array([4, 1])])
def test_slice_matches_numpy(mode, keys, expected_keys, expected_mode, indices):
    ds = Dummy(mode=mode, return_array=True, convert=True)
    view = ds.slice[indices] if keys is None else ds.slice[indices, keys]
    if isinstance(indices, list) and indices and all(isinstance(i, bool)
                                                      for i in indices):
        np_indices = numpy.array(indices)
    else:
        np_indices = indices
    key_ids = [] if keys is None else [
        {'a': 0, 'b': 1, 'c': 2}.get(k, k) for k in (keys if isinstance(keys, tuple)
                                                     else (keys,))]
    data = ds.data[:, np_indices] if keys is None else ds.data[key_ids][:, np_indices]
    assert isinstance(view, dataset.TabularDataset)
    assert len(view) == data.shape[1] and view.keys == expected_keys
    assert view.mode is (mode if expected_mode == 'same' else expected_mode)
    for sub_rows, sub_keys in [(None, None), ([1, 0], None), (slice(0, 2), None),
                               (None, (0,)), (slice(1, None, -1), None), ([], None)]:
        if len(view) < 2 and sub_rows is not None:
            continue
        if sub_keys is not None and len(view.keys) < 1:
            continue
        out = view.get_examples(sub_rows, sub_keys)
        expected = data if sub_rows is None else data[:, sub_rows]
        if sub_keys is not None:
            expected = expected[list(sub_keys)]
        assert len(out) == len(expected)
        for o, e in zip(out, expected):
            numpy.testing.assert_equal(o, e)
    assert view.convert(view.fetch()) == 'converted'


def test_slice_requests_stay_simple_and_compose():
    ds = Dummy()
    ds.slice[2:8].slice[1:3].fetch()
    assert ds.requests[-1] == (slice(3, 5, 1), None)
    ds.slice[::-1].slice[::2].fetch()
    assert ds.requests[-1] == (slice(9, None, -2), None)
    ds.slice[[5, 1, 7], ('c', 'a')].get_examples(slice(1, None), (1,))
    assert ds.requests[-1] == ([1, 7], (0,))
    ds.slice[2:8].get_examples([0, -1 + 6], None)
    assert ds.requests[-1] == ([2, 7], None)


@pytest.mark.parametrize('bad, error', [
    (([11, 1],), IndexError), (([True] * 11,), ValueError), ((slice(None), 3), IndexError),
    ((slice(None), 'd'), KeyError), ((slice(None), ('d',)), KeyError),
    ((slice(None), 1.5), TypeError)])
def test_slice_errors(bad, error):
    with pytest.raises(error):
        Dummy().slice[bad if len(bad) > 1 else bad[0]]


@pytest.mark.parametrize('indices, a_req, b_req', [
    (None, None, None),
    ([3, 1, 4, 12, 14, 13, 7, 5], [3, 1, 4, 7, 5], [2, 4, 3]),
    ([3, 1, 4], [3, 1, 4], 'unused'),
    (slice(13, 6, -2), slice(9, 6, -2), slice(3, None, -2)),
    (slice(9, None, -2), slice(9, None, -2), 'unused'),
    ([1, 2, 1], [1, 2, 1], 'unused'),
    ([], 'unused', 'unused')])
@pytest.mark.parametrize('return_array', [True, False])
def test_concat(indices, a_req, b_req, return_array):
    a = Dummy(mode=tuple, return_array=return_array, convert=True)
    b = Dummy(size=5, mode=dict, return_array=return_array, seed=1)
    view = a.concat(b)
    assert len(view) == 15 and view.keys == a.keys and view.mode is tuple
    out = view.get_examples(indices, None)
    data = numpy.hstack((a.data, b.data))
    if indices is not None:
        data = data[:, indices]
    for o, d in zip(out, data):
        numpy.testing.assert_equal(o, d)
    assert (a.requests[-1][0] if a.requests else 'unused') == a_req
    assert (b.requests[-1][0] if b.requests else 'unused') == b_req
    one_source = (a_req == 'unused') != (b_req == 'unused')
    assert all(isinstance(o, numpy.ndarray if return_array and one_source else list)
               for o in out)
    assert view.convert(out) == 'converted'
    with pytest.raises(ValueError, match='concat'):
        a.concat(Dummy(keys=('a', 'b')))
    with pytest.raises(ValueError, match='concat'):
        a.concat(Dummy(keys=('b', 'a', 'c')))


@pytest.mark.parametrize('mode_a, mode_b', list(itertools.product(MODES, MODES)))
@pytest.mark.parametrize('key_indices', [None, (0, 3, 1), (1, 0), ()])
def test_join(mode_a, mode_b, key_indices):
    a = Dummy(mode=mode_a, return_array=True, convert=True)
    b = Dummy(keys=('d', 'e'), mode=mode_b, return_array=True, seed=2)
    view = a.join(b)
    n_keys = len(a.keys) + len(b.keys)
    if key_indices and max(key_indices) >= n_keys:
        return
    assert view.keys == a.keys + b.keys and len(view) == 10
    assert view.mode is (mode_a or mode_b or tuple)
    out = view.get_examples(None, key_indices)
    data = numpy.vstack((a.data, b.data))
    if key_indices is not None:
        data = data[list(key_indices)]
    assert len(out) == len(data)
    for o, d in zip(out, data):
        numpy.testing.assert_equal(o, d)
    if key_indices == ():
        assert a.requests == [] and b.requests == []
    assert view.convert(out) == 'converted'
    with pytest.raises(ValueError, match='lengths'):
        a.join(Dummy(size=5, keys=('d', 'e')))
    with pytest.raises(ValueError, match="'a'"):
        Dummy().join(Dummy(keys=('a', 'd')))


@pytest.mark.parametrize('in_mode, out_mode', list(itertools.product(MODES, MODES)))
@pytest.mark.parametrize('batch', [False, True])
def test_transform(in_mode, out_mode, batch):
    ds = Dummy(mode=in_mode, return_array=True, convert=True)
    seen = []

    def func(*args, **kwargs):
        if in_mode is tuple:
            a, b, c = args
            assert not kwargs
        elif in_mode is dict:
            assert not args
            a, b, c = kwargs['a'], kwargs['b'], kwargs['c']
        else:
            (a,), b, c = args, args[0], args[0]
        seen.append(type(a))
        if out_mode is tuple:
            return a + b, b + c
        if out_mode is dict:
            return {'alpha': a + b, 'beta': b + c}
        return a + b + c

    if in_mode is None:
        a = b = c = ds.data[0]
    else:
        a, b, c = ds.data
    keys = ('alpha', 'beta') if out_mode is not None else 'alpha'
    view = ds.transform_batch(keys, func) if batch else ds.transform(keys, func)
    data = numpy.vstack((a + b, b + c)) if out_mode is not None else (a + b + c)[None]
    assert view.mode is out_mode and len(view) == 10
    assert view.keys == (keys if isinstance(keys, tuple) else (keys,))
    for indices in (None, [1, 3], slice(None, 2)):
        out = view.get_examples(indices, None)
        expected = data if indices is None else data[:, indices]
        for o, e in zip(out, expected):
            numpy.testing.assert_allclose(o, e)
            assert isinstance(o, numpy.ndarray if batch else list)
    assert all(t is numpy.ndarray for t in seen) if batch else \
        all(issubclass(t, float) for t in seen)
    if out_mode is not None:
        numpy.testing.assert_allclose(view.get_examples([2], (1, 0))[0], data[1, [2]])
    assert view.convert(view.fetch()) == 'converted'


def test_transform_inconsistent_output():
    calls = [0]

    def flip(a, b, c):
        calls[0] += 1
        return (a,) if calls[0] % 2 else {'a': a}

    view = Dummy().transform(('a',), flip)
    view.get_examples([0], None)
    with pytest.raises(ValueError, match='mode must not change'):
        view.get_examples([0], None)
    longer = Dummy().transform_batch(('a',), lambda a, b, c: (a + [0],))
    with pytest.raises(ValueError, match='keep the length'):
        longer.get_examples(None, None)
    wrong = Dummy().transform(('x', 'y'), lambda a, b, c: (a,))
    with pytest.raises(ValueError, match='1 values for 2 keys'):
        wrong.fetch()


@pytest.mark.parametrize('mode', MODES)
def test_with_converter_astuple_asdict_delegate(mode):
    ds = Dummy(mode=mode, convert=True)
    calls = []

    def converter(*args, **kwargs):
        calls.append((args, kwargs))
        return 'mine'

    view = ds.with_converter(converter)
    assert view.mode is mode and view.keys == ds.keys and len(view) == 10
    assert view.get_examples(None, None) == ds.get_examples(None, None)
    assert view.convert(view.fetch()) == 'mine'
    args, kwargs = calls[0]
    if mode is dict:
        assert not args and sorted(kwargs) == ['a', 'b', 'c']
    else:
        assert not kwargs and len(args) == len(ds.keys)
    for view, expected_mode in ((ds.astuple(), tuple), (ds.asdict(), dict),
                                (ds.as_tuple(), tuple), (ds.as_dict(), dict)):
        assert view.mode is expected_mode and view.keys == ds.keys
        assert view.get_examples(None, None) == ds.get_examples(None, None)
        assert view.convert(view.fetch()) == 'converted'
    delegate = tabular.DelegateDataset(ds)
    assert delegate.dataset is ds and delegate.mode is ds.mode
    assert delegate.get_example(3) == ds.get_example(3)


def test_from_data_variants():
    ds = tabular.from_data(numpy.arange(10))
    assert ds.mode is None and len(ds.keys) == 1 and len(ds) == 10
    out = ds.slice[[1, 3]].fetch()
    assert isinstance(out, numpy.ndarray) and out.tolist() == [1, 3]
    ds = tabular.from_data(('a', [2, 7, 1, 8]))
    assert ds.keys == ('a',) and ds.slice[[1, 3]].fetch() == [7, 8]
    ds = tabular.from_data(('a', lambda i: i * i), size=5)
    assert ds.slice[[1, 3]].fetch() == [1, 9]
    ds = tabular.from_data((('a', 'b'), lambda i: {'a': i * i, 'b': -i}), size=4)
    assert ds.mode is dict and ds.slice[[1, 3]].fetch() == {'a': [1, 9], 'b': [-1, -3]}
    ds = tabular.from_data((numpy.arange(4), (('b', 'c'), lambda i: (i * i, -i))))
    assert ds.mode is tuple and len(ds.keys) == 3 and ds.keys[1:] == ('b', 'c')
    a, b, c = ds.slice[[1, 3]].fetch()
    assert a.tolist() == [1, 3] and b == [1, 9] and c == [-1, -3]
    ds = tabular.from_data({'a': numpy.arange(4), ('b', 'c'): lambda i: (i, -i)})
    assert ds.mode is dict and ds.fetch()['c'] == [0, -1, -2, -3]
    with pytest.raises(ValueError, match='needs a key'):
        tabular.from_data(lambda i: i, size=3)
    with pytest.raises(ValueError, match='size'):
        tabular.from_data(('a', lambda i: i))
    with pytest.raises(ValueError, match='different lengths'):
        tabular.from_data((numpy.arange(3), [1, 2]))


def test_tabular_with_iterator_and_concat_examples():
    from kusari import iterators
    ds = tabular.from_data((('x', numpy.arange(6, dtype=numpy.float32)),
                            ('t', numpy.arange(6) % 2)))
    it = iterators.SerialIterator(ds, 3, shuffle=False)
    x, t = dataset.concat_examples(it.next())
    assert x.tolist() == [0., 1., 2.] and t.tolist() == [0, 1, 0]


def test_from_data_unnamed_keys_are_unique_across_calls():
    a = tabular.from_data(numpy.arange(4))
    b = tabular.from_data(numpy.arange(4) * 2)
    assert a.keys != b.keys
    joined = a.join(b)
    assert joined[2] == (2, 4)
