"""Epoch bookkeeping, order, repeat/shuffle, reset and serialize: every iterator class."""
import numpy
import pytest

from kusari import iterators
from kusari import serializers

pytestmark = pytest.mark.timeout(60)


def test_repeat_even(make_iterator):
    it = make_iterator([1, 2, 3, 4, 5, 6], 2, shuffle=False)
    for i in range(3):
        assert it.epoch == i
        assert it.epoch_detail == pytest.approx(i)
        if i == 0:
            assert it.previous_epoch_detail is None
        else:
            assert it.previous_epoch_detail == pytest.approx(i - 2 / 6)
        assert it.next() == [1, 2]
        assert not it.is_new_epoch
        assert it.epoch_detail == pytest.approx(i + 2 / 6)
        assert it.previous_epoch_detail == pytest.approx(i)
        assert it.next() == [3, 4]
        assert next(it) == [5, 6]
        assert it.is_new_epoch
        assert it.epoch_detail == pytest.approx(i + 1)
        assert it.previous_epoch_detail == pytest.approx(i + 4 / 6)


def test_repeat_not_even_wraps_around(make_iterator):
    it = make_iterator([1, 2, 3, 4, 5], 2, shuffle=False)
    assert [it.next() for _ in range(2)] == [[1, 2], [3, 4]]
    assert it.next() == [5, 1]
    assert it.is_new_epoch and it.epoch == 1
    assert it.epoch_detail == pytest.approx(6 / 5)
    assert it.next() == [2, 3]
    assert not it.is_new_epoch
    assert it.next() == [4, 5]
    assert it.is_new_epoch and it.epoch == 2
    assert it.epoch_detail == pytest.approx(2.0)
    assert it.previous_epoch_detail == pytest.approx(8 / 5)


def test_not_repeat(make_iterator):
    it = make_iterator([1, 2, 3, 4, 5], 2, repeat=False, shuffle=False)
    assert [it.next() for _ in range(3)] == [[1, 2], [3, 4], [5]]
    assert it.epoch == 1 and it.is_new_epoch
    assert it.epoch_detail == pytest.approx(1.0)
    assert it.previous_epoch_detail == pytest.approx(4 / 5)
    for _ in range(2):
        with pytest.raises(StopIteration):
            it.next()


def test_batch_larger_than_dataset(make_iterator):
    it = make_iterator([0, 1, 2], 7, shuffle=False)
    assert it.next() == [0, 1, 2, 0, 1, 2, 0]
    assert it.epoch == 2 and it.current_position == 1
    it = make_iterator([0, 1, 2], 7, repeat=False, shuffle=False)
    assert it.next() == [0, 1, 2]
    with pytest.raises(StopIteration):
        it.next()


@pytest.mark.parametrize('mode', ['shuffle', 'sampler'])
def test_shuffled_epochs_are_permutations(make_iterator, mode):
    numpy.random.seed(0)
    dataset = list(range(10))
    if mode == 'shuffle':
        it = make_iterator(dataset, 3, shuffle=True)
    else:
        it = make_iterator(dataset, 3, order_sampler=iterators.ShuffleOrderSampler(
            numpy.random.RandomState(1)))
    out = sum([it.next() for _ in range(10)], [])
    assert sorted(out[:10]) == dataset and sorted(out[10:20]) == dataset
    assert out[:10] != out[10:20]


def test_seeded_sampler_gives_its_permutations(make_iterator):
    dataset = list(range(8))
    it = make_iterator(dataset, 4, order_sampler=iterators.ShuffleOrderSampler(
        numpy.random.RandomState(5)))
    ref = numpy.random.RandomState(5)
    first, second = ref.permutation(8), ref.permutation(8)
    assert it.next() + it.next() == first.tolist()
    assert it.next() + it.next() == second.tolist()


def test_custom_order_sampler_and_bad_sampler(make_iterator):
    it = make_iterator([10, 11, 12, 13], 2,
                       order_sampler=lambda order, pos: numpy.arange(len(order))[::-1])
    assert it.next() + it.next() == [13, 12, 11, 10]
    with pytest.raises(ValueError, match='shuffle'):
        make_iterator([1, 2], 1, shuffle=True, order_sampler=lambda o, p: o)
    sizes = iter([3, 2, 2, 2])
    it = make_iterator([1, 2, 3], 3,
                       order_sampler=lambda order, pos: numpy.arange(next(sizes)))
    with pytest.raises(ValueError, match='order sampler'):
        for _ in range(3):
            it.next()


def test_reset(make_iterator):
    it = make_iterator([1, 2, 3, 4, 5], 2, repeat=False, shuffle=False)
    for _ in range(3):
        assert list(it) == [[1, 2], [3, 4], [5]]
        it.reset()
        assert it.epoch == 0 and it.previous_epoch_detail is None
        assert it.epoch_detail == 0


def test_reset_middle(make_iterator):
    it = make_iterator([1, 2, 3, 4, 5], 2, repeat=False, shuffle=False)
    assert it.next() == [1, 2]
    it.reset()
    assert list(it) == [[1, 2], [3, 4], [5]]


def test_bad_arguments(make_iterator):
    with pytest.raises(ValueError, match='batch_size must be positive'):
        make_iterator([1, 2], 0)
    with pytest.raises(ValueError, match='batch_size'):
        make_iterator([1, 2], -3)
    with pytest.raises(TypeError, match='batch_size'):
        make_iterator([1, 2], 1.5)
    it = make_iterator([], 2)
    with pytest.raises(ValueError, match='empty'):
        it.next()


@pytest.mark.parametrize('shuffle', [False, True])
def test_serialize_npz_round_trip(make_iterator, tmp_path, shuffle):
    numpy.random.seed(3)
    dataset = list(range(10))
    it = make_iterator(dataset, 3, shuffle=shuffle)
    for _ in range(5):
        it.next()
    path = str(tmp_path / 'it.npz')
    serializers.save_npz(path, it)
    expected = [it.next() for _ in range(6)]
    state = (it.epoch, it.epoch_detail, it.previous_epoch_detail, it.is_new_epoch)

    numpy.random.seed(99)           # the order must come from the file, not the RNG
    it2 = make_iterator(dataset, 3, shuffle=shuffle)
    serializers.load_npz(path, it2)
    assert it2.epoch == 1 and it2.current_position == 5
    assert it2.epoch_detail == pytest.approx(1.5)
    assert it2.previous_epoch_detail == pytest.approx(1.2)
    got = [it2.next() for _ in range(6)]
    # The rest of the saved epoch comes from the file, then fresh orders.
    assert got[0] == expected[0] and got[1][:2] == expected[1][:2]
    if not shuffle:
        assert got == expected
    assert (it2.epoch, it2.epoch_detail, it2.previous_epoch_detail,
            it2.is_new_epoch)[0] == state[0]


def test_serialize_missing_previous_epoch_detail_is_guessed(make_iterator):
    it = make_iterator(list(range(10)), 3, shuffle=False)
    for _ in range(4):
        it.next()
    target = {}
    serializers.DictionarySerializer(target).save(it)
    assert set(target) == {'current_position', 'epoch', 'is_new_epoch',
                           'previous_epoch_detail'}
    del target['previous_epoch_detail']
    it2 = make_iterator(list(range(10)), 3, shuffle=False)
    serializers.NpzDeserializer(target).load(it2)
    assert it2.current_position == 2 and it2.epoch == 1
    assert it2.previous_epoch_detail == pytest.approx(0.9)


def test_copy_is_independent(make_iterator):
    import copy
    it = make_iterator([1, 2, 3, 4, 5], 2, repeat=False, shuffle=False)
    dup = copy.copy(it)
    assert [it.next() for _ in range(3)] == [[1, 2], [3, 4], [5]]
    with pytest.raises(StopIteration):
        it.next()
    assert [dup.next() for _ in range(3)] == [[1, 2], [3, 4], [5]]
    dup.finalize()
    it2 = make_iterator([1, 2, 3, 4, 5, 6], 2, shuffle=False)
    it2.next()
    dup = copy.copy(it2)
    try:
        assert dup.next() == [3, 4] and it2.next() == [3, 4]
    finally:
        dup.finalize()


def test_pickle_keeps_position(make_iterator):
    import pickle
    it = make_iterator([1, 2, 3, 4, 5, 6], 2,
                       order_sampler=iterators.ShuffleOrderSampler(
                           numpy.random.RandomState(0)))
    first = it.next() + it.next()
    clone = pickle.loads(pickle.dumps(it))
    try:
        assert clone.epoch_detail == pytest.approx(4 / 6)
        assert clone.previous_epoch_detail == pytest.approx(2 / 6)
        last = clone.next()
        assert clone.is_new_epoch and sorted(first + last) == [1, 2, 3, 4, 5, 6]
    finally:
        clone.finalize()


class Flaky:
    """Fails for examples 2 and 3 while ``broken`` is set (read at fetch time)."""

    def __init__(self):
        self.broken = True

    def __len__(self):
        return 6

    def __getitem__(self, i):
        if self.broken and i in (2, 3):
            raise KeyError(i)
        return i


def test_reset_with_a_failed_batch_in_flight(make_iterator):
    ds = Flaky()
    it = make_iterator(ds, 2, shuffle=False)
    assert it.next() == [0, 1]          # [2, 3] is being fetched (and fails)
    it.reset()                          # must not raise
    ds.broken = False
    it.finalize()                       # forked workers hold a copy: restart them
    assert it.next() == [0, 1] and it.next() == [2, 3]
