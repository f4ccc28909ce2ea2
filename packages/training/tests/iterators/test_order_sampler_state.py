"""ShuffleOrderSampler's own RandomState travels with the iterator's snapshot."""
import numpy

from kusari import iterators
from kusari.serializers import load_npz, save_npz


def _epochs(it, n):
    out = []
    for _ in range(n):
        out.append([int(v) for v in it.next()])
    return out


def test_resumed_iterator_shuffles_as_the_uninterrupted_one(tmp_path):
    data = list(range(10))
    ref = iterators.SerialIterator(
        data, 5, order_sampler=iterators.ShuffleOrderSampler(numpy.random.RandomState(3)))
    expected = _epochs(ref, 8)                    # 4 epochs

    it = iterators.SerialIterator(
        data, 5, order_sampler=iterators.ShuffleOrderSampler(numpy.random.RandomState(3)))
    first = _epochs(it, 3)
    path = str(tmp_path / 'it.npz')
    save_npz(path, it)
    resumed = iterators.SerialIterator(
        data, 5, order_sampler=iterators.ShuffleOrderSampler(numpy.random.RandomState(99)))
    load_npz(path, resumed)
    assert first + _epochs(resumed, 5) == expected


def test_global_generator_is_neither_saved_nor_restored(tmp_path):
    it = iterators.SerialIterator(list(range(6)), 3, shuffle=True)
    it.next()
    path = str(tmp_path / 'it.npz')
    save_npz(path, it)
    with numpy.load(path) as f:
        assert not [k for k in f.files if 'order_sampler' in k]
    state = numpy.random.get_state()[1].copy()
    load_npz(path, iterators.SerialIterator(list(range(6)), 3, shuffle=True))
    numpy.testing.assert_array_equal(numpy.random.get_state()[1], state)


def test_snapshot_without_sampler_state_still_loads(tmp_path):
    # as a file written by Chainer (or with NumPy's global generator) would be
    plain = iterators.SerialIterator(list(range(6)), 3, shuffle=True)
    plain.next()
    path = str(tmp_path / 'plain.npz')
    save_npz(path, plain)
    it = iterators.SerialIterator(
        list(range(6)), 3, order_sampler=iterators.ShuffleOrderSampler(numpy.random.RandomState(0)))
    load_npz(path, it)
    assert it.current_position == 3
