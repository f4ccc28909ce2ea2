"""MultithreadIterator specifics."""
import threading

import pytest

from kusari import iterators

pytestmark = pytest.mark.timeout(60)


class ThreadNames:
    def __len__(self):
        return 8

    def __getitem__(self, i):
        return threading.current_thread().name


def test_examples_read_in_worker_threads():
    with iterators.MultithreadIterator(ThreadNames(), 4, n_threads=2) as it:
        names = it.next()
    assert threading.current_thread().name not in names


def test_finalize_stops_threads_and_iterator_is_reusable():
    before = threading.active_count()
    it = iterators.MultithreadIterator(list(range(6)), 2, shuffle=False, n_threads=3)
    assert it.next() == [0, 1]
    assert threading.active_count() > before
    it.finalize()
    assert threading.active_count() == before
    assert it.next() == [2, 3]
    it.finalize()


def test_error_propagates():
    class Bad:
        def __len__(self):
            return 4

        def __getitem__(self, i):
            raise ValueError('bad example')

    it = iterators.MultithreadIterator(Bad(), 2)
    with pytest.raises(ValueError, match='bad example'):
        it.next()
    with pytest.raises(ValueError, match='n_threads'):
        iterators.MultithreadIterator([1], 1, n_threads=0)
