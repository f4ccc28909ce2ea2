"""MultiprocessIterator specifics: shared memory transport, worker lifetime, errors."""
import os
import signal
import subprocess
import sys
import textwrap
import time
import warnings

import numpy
import pytest

from kusari import datasets
from kusari import iterators

pytestmark = pytest.mark.timeout(60)


def _alive(pid):
    """True while ``pid`` exists and is not a zombie (read from /proc)."""
    try:
        with open('/proc/{}/stat'.format(pid)) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except FileNotFoundError:
        return False


def _wait_gone(pids, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


needs_proc = pytest.mark.skipif(not os.path.isdir('/proc/self'),
                                reason='needs /proc (Linux)')


class Failing:
    def __init__(self, n, bad):
        self.n, self.bad = n, bad

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.bad:
            raise KeyError('broken example {}'.format(i))
        return i


class Slow:
    def __len__(self):
        return 4

    def __getitem__(self, i):
        time.sleep(0.4)
        return i


class SuicidalOnce:
    """Example 3 kills the worker that reads it."""

    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return i


@pytest.mark.parametrize('shared_mem', [None, 64, 1 << 16])
def test_arrays_tuples_dicts_round_trip(shared_mem):
    # 64 bytes per example: the (4, 5) float64 arrays do not fit and are pickled,
    # the labels do; 64 KiB: everything goes through shared memory.
    rng = numpy.random.RandomState(0)
    x = rng.rand(10, 4, 5)
    t = rng.randint(0, 10, size=10).astype(numpy.int32)
    ds = datasets.TupleDataset(x, t)
    with iterators.MultiprocessIterator(ds, 4, shuffle=False, n_processes=2,
                                        shared_mem=shared_mem) as it:
        seen = sum([it.next() for _ in range(5)], [])
    assert len(seen) == 20
    for k, (a, b) in enumerate(seen):
        numpy.testing.assert_array_equal(a, x[k % 10])
        assert a.dtype == x.dtype and b == t[k % 10] and b.dtype == numpy.int32
    d = datasets.DictDataset(img=x.astype(numpy.float32), n=numpy.arange(10))
    with iterators.MultiprocessIterator(d, 3, shuffle=False, n_processes=2,
                                        shared_mem=shared_mem, n_prefetch=3) as it:
        for batch_no in range(4):
            for j, example in enumerate(it.next()):
                k = (batch_no * 3 + j) % 10
                numpy.testing.assert_array_equal(example['img'], x[k].astype('f'))
                assert example['n'] == k


def test_same_batches_as_serial_iterator_with_seed():
    data = list(range(23))
    numpy.random.seed(7)
    serial = iterators.SerialIterator(data, 5)
    expected = [serial.next() for _ in range(12)]
    numpy.random.seed(7)
    with iterators.MultiprocessIterator(data, 5, n_processes=2, n_prefetch=2) as it:
        got = [it.next() for _ in range(12)]
    assert got == expected


@needs_proc
def test_workers_gone_after_finalize():
    it = iterators.MultiprocessIterator(list(range(10)), 2, n_processes=2)
    it.next()
    pids = it.worker_pids
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    it.finalize()
    assert _wait_gone(pids), 'workers still alive after finalize()'
    assert it.worker_pids == []
    # Still usable after finalize (new workers), and position is kept.
    assert it.epoch_detail == pytest.approx(0.2)
    assert len(it.next()) == 2 and it.epoch_detail == pytest.approx(0.4)
    it.finalize()
    # ... but, as in Chainer, reset() of a finalized iterator is not supported.
    with pytest.raises(NotImplementedError, match='MultiprocessIterator'):
        it.reset()


@needs_proc
def test_reset_works_after_an_internal_failure():
    # A failing batch shuts the workers down internally; that is not the user's
    # finalize(), so reset() still works.
    it = iterators.MultiprocessIterator(Failing(10, 5), 2, shuffle=False,
                                        n_processes=2)
    with pytest.raises(Exception):
        for _ in range(5):
            it.next()
    it.reset()
    assert it.epoch == 0 and it.current_position == 0
    it.finalize()


@needs_proc
def test_error_in_dataset_is_raised_and_workers_are_gone():
    it = iterators.MultiprocessIterator(Failing(10, 5), 2, shuffle=False,
                                        n_processes=2)
    it.next()
    pids = it.worker_pids
    with pytest.raises(KeyError, match='broken example 5'):
        for _ in range(5):
            it.next()
    assert _wait_gone(pids)
    assert it.worker_pids == []
    assert it.current_position == 4     # the failed batch was not handed out


@needs_proc
def test_killed_worker_raises_instead_of_hanging():
    it = iterators.MultiprocessIterator(SuicidalOnce(), 2, shuffle=False,
                                        n_processes=2)
    with pytest.raises(RuntimeError, match='worker process .* died'):
        for _ in range(4):
            it.next()
    assert it.worker_pids == []


def test_dataset_timeout_warns_and_keeps_waiting():
    with iterators.MultiprocessIterator(Slow(), 4, shuffle=False, n_processes=1,
                                        dataset_timeout=0.3) as it:
        with pytest.warns(iterators.MultiprocessIterator.TimeoutWarning):
            assert it.next() == [0, 1, 2, 3]
    with iterators.MultiprocessIterator(Slow(), 1, shuffle=False, n_processes=1,
                                        dataset_timeout=None) as it:
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            assert it.next() == [0]


class Pid:
    def __len__(self):
        return 12

    def __getitem__(self, i):
        return os.getpid()


def test_maxtasksperchild_replaces_workers():
    with iterators.MultiprocessIterator(Pid(), 4, shuffle=False, n_processes=1,
                                        maxtasksperchild=1) as it:
        got = sum([it.next() for _ in range(3)], [])
    # A batch of 4 goes out as 2 chunks of 2 (one worker): with one chunk per
    # worker, every pair of examples came from a fresh process.
    assert len(set(got)) == 6
    assert all(got.count(pid) == 2 for pid in set(got))
    # Without the limit, one worker serves everything.
    with iterators.MultiprocessIterator(Pid(), 4, shuffle=False, n_processes=1) as it:
        assert len(set(sum([it.next() for _ in range(3)], []))) == 1


def test_bad_arguments():
    with pytest.raises(ValueError, match='n_processes'):
        iterators.MultiprocessIterator([1], 1, n_processes=0)
    with pytest.raises(ValueError, match='n_prefetch'):
        iterators.MultiprocessIterator([1], 1, n_prefetch=0)
    with pytest.raises(ValueError, match='shared_mem'):
        iterators.MultiprocessIterator([1], 1, shared_mem=-4)
    with pytest.raises(ValueError, match='maxtasksperchild'):
        iterators.MultiprocessIterator([1], 1, maxtasksperchild=0)


@needs_proc
def test_workers_die_with_a_sigkilled_parent(tmp_path):
    script = textwrap.dedent('''
        import sys, time
        from kusari import iterators
        it = iterators.MultiprocessIterator(list(range(100)), 4, n_processes=2)
        it.next()
        print(' '.join(map(str, it.worker_pids)), flush=True)
        time.sleep(60)
    ''')
    proc = subprocess.Popen([sys.executable, '-c', script], stdout=subprocess.PIPE,
                            text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        proc.kill()
        proc.wait(10)
        assert _wait_gone(pids), 'workers outlived their SIGKILLed parent'
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_copy_gets_own_workers():
    import copy
    with iterators.MultiprocessIterator(list(range(6)), 2, shuffle=False,
                                        n_processes=1) as it:
        it.next()
        dup = copy.copy(it)
        try:
            assert dup.next() == [2, 3] and it.next() == [2, 3]
        finally:
            dup.finalize()


class Stalling:
    def __init__(self, nth, sleep):
        self.nth, self.sleep = nth, sleep

    def __len__(self):
        return 5

    def __getitem__(self, i):
        if i == self.nth:
            time.sleep(self.sleep)
        return i


@pytest.mark.parametrize('nth', [0, 1, 2, 4])
def test_stalled_dataset_warns_on_that_batch_only(nth):
    it = iterators.MultiprocessIterator(Stalling(nth, 0.5), 2, shuffle=False,
                                        repeat=False, dataset_timeout=0.2)
    try:
        got = []
        for b in range(3):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter('always')
                got.append(it.next())
            timeouts = [w for w in caught
                        if issubclass(w.category, it.TimeoutWarning)]
            assert len(timeouts) == (1 if b == nth // 2 else 0), (b, timeouts)
        with pytest.raises(StopIteration):
            it.next()
        assert got == [[0, 1], [2, 3], [4]]
    finally:
        it.finalize()


def test_finalize_does_not_deadlock_with_large_results():
    import threading
    it = iterators.MultiprocessIterator(numpy.ones((200, 20000)), 10, n_processes=2,
                                        n_prefetch=3)
    for _ in range(3):
        it.next()
    t = threading.Thread(target=it.finalize, daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive()


@pytest.mark.parametrize('shared_mem', [None, 1 << 12])
def test_spawn_start_method(shared_mem):
    # What macOS and Windows use: the dataset is pickled to each worker.
    data = datasets.TupleDataset(numpy.arange(12.).reshape(6, 2), numpy.arange(6))
    it = iterators.MultiprocessIterator(data, 4, shuffle=False, n_processes=2,
                                        shared_mem=shared_mem)
    it.start_method = 'spawn'
    try:
        batch = it.next() + it.next()
        assert [int(t) for _, t in batch] == [0, 1, 2, 3, 4, 5, 0, 1]
        numpy.testing.assert_array_equal(batch[5][0], [10., 11.])
        pids = it.worker_pids
    finally:
        it.finalize()
    assert _wait_gone(pids) if os.path.isdir('/proc/self') else True
