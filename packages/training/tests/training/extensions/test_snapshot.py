"""snapshot / snapshot_object: files, n_retains, autoload with fallback, errors."""
import os

import numpy
import pytest

from kusari import iterators, training
from kusari.serializers import load_npz
from kusari.training import extensions
from kusari.training.extensions import _snapshot, snapshot_writers


def _trainer(h, out_dir, stop=(3, 'epoch')):
    x, t, w = h.regression_data()
    model = h.Regressor(3)
    opt = h.SGD(0.05).setup(model)
    it = iterators.SerialIterator(list(zip(x, t)), 16, shuffle=False)
    return training.Trainer(training.StandardUpdater(it, opt), stop, out=out_dir), model


def test_snapshot_files_and_resume_equals_continuous_run(h, out_dir):
    tr, model = _trainer(h, out_dir, stop=(3, 'epoch'))
    tr.extend(extensions.snapshot(), trigger=(1, 'epoch'))
    tr.run()
    assert sorted(os.listdir(out_dir)) == ['snapshot_iter_12', 'snapshot_iter_4',
                                           'snapshot_iter_8']
    # resume from epoch 1 and train to epoch 3: same parameters
    tr2, model2 = _trainer(h, out_dir + '2', stop=(3, 'epoch'))
    load_npz(os.path.join(out_dir, 'snapshot_iter_4'), tr2)
    assert tr2.updater.iteration == 4
    tr2.run()
    numpy.testing.assert_array_equal(model2.W.array, model.W.array)


def test_snapshot_object_and_n_retains(h, out_dir):
    tr, model = _trainer(h, out_dir, stop=(10, 'iteration'))
    tr.extend(extensions.snapshot_object(model, 'model_{.updater.iteration}.npz',
                                         n_retains=2), trigger=(1, 'iteration'))
    tr.run()
    files = sorted(os.listdir(out_dir))
    assert files == ['model_10.npz', 'model_9.npz']
    m = h.Regressor(3, seed=5)
    load_npz(os.path.join(out_dir, 'model_10.npz'), m)
    numpy.testing.assert_array_equal(m.W.array, model.W.array)


def test_autoload_resumes_from_newest_and_falls_back_over_a_corrupt_one(h, out_dir):
    tr, model = _trainer(h, out_dir, stop=(12, 'iteration'))
    tr.extend(extensions.snapshot(autoload=True), trigger=(4, 'iteration'))
    tr.run()
    newest = os.path.join(out_dir, 'snapshot_iter_12')
    with open(newest, 'r+b') as f:      # truncate the newest
        f.truncate(os.path.getsize(newest) // 2)
    tr2, model2 = _trainer(h, out_dir, stop=(12, 'iteration'))
    tr2.extend(extensions.snapshot(autoload=True), trigger=(4, 'iteration'))
    with pytest.warns(UserWarning, match='snapshot_iter_12'):
        tr2.run()
    # resumed at 8 (the previous snapshot) and redid 9..12: the same result
    numpy.testing.assert_array_equal(model2.W.array, model.W.array)
    assert tr2.updater.iteration == 12


def test_autoload_with_nothing_to_load_starts_fresh(h, out_dir):
    tr, model = _trainer(h, out_dir, stop=(2, 'iteration'))
    tr.extend(extensions.snapshot(autoload=True), trigger=(100, 'iteration'))
    tr.run()
    assert tr.updater.iteration == 2


def test_autoload_raises_when_every_snapshot_is_broken(h, out_dir):
    os.makedirs(out_dir)
    with open(os.path.join(out_dir, 'snapshot_iter_3'), 'wb') as f:
        f.write(b'garbage')
    tr, _ = _trainer(h, out_dir)
    tr.extend(extensions.snapshot(autoload=True))
    with pytest.warns(UserWarning):
        with pytest.raises(ValueError, match='snapshot_iter_3'):
            tr.run()


def test_unwritable_directory_fails_before_training(h, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    out = str(blocker / 'sub')        # a directory under a regular file
    tr, _ = _trainer(h, out)
    tr.extend(extensions.snapshot())
    with pytest.raises(PermissionError, match='cannot write snapshots'):
        tr.run(show_loop_exception_msg=False)
    assert tr.updater.iteration == 0


def test_snapshot_on_error(h, out_dir):
    tr, _ = _trainer(h, out_dir, stop=(10, 'iteration'))

    class Boom(Exception):
        pass

    def boom(trainer):
        if trainer.updater.iteration == 3:
            raise Boom()
    tr.extend(boom, name='boom')
    tr.extend(extensions.snapshot(filename='err_{.updater.iteration}',
                                  snapshot_on_error=True), trigger=(100, 'iteration'))
    with pytest.raises(Boom):
        tr.run(show_loop_exception_msg=False)
    assert os.listdir(out_dir) == ['err_3']


def test_condition_savefun_writer_exclusive(h, out_dir):
    with pytest.raises(TypeError, match='together'):
        extensions.snapshot(savefun=lambda *a: None,
                            writer=snapshot_writers.SimpleWriter())
    calls = iter([True, False, True])
    saved = []
    ext = extensions.snapshot(condition=lambda: next(calls),
                              writer=lambda fn, out, target: saved.append(fn))
    tr, _ = _trainer(h, out_dir)
    for i in range(3):
        tr.updater.iteration = i
        ext(tr)
    assert saved == ['snapshot_iter_0', 'snapshot_iter_2']


@pytest.mark.parametrize('writer_cls', [
    snapshot_writers.SimpleWriter, snapshot_writers.ThreadWriter,
    snapshot_writers.ThreadQueueWriter])
def test_writers_write_complete_files_and_leave_no_temporaries(tmp_path, writer_cls):
    w = writer_cls()
    for i in range(3):
        w('s_{}'.format(i), str(tmp_path), {'x': numpy.arange(i + 1)})
    w.finalize()
    assert sorted(os.listdir(tmp_path)) == ['s_0', 's_1', 's_2']
    with numpy.load(str(tmp_path / 's_2')) as f:
        assert f['x'].tolist() == [0, 1, 2]


def test_find_snapshot_files_patterns(tmp_path):
    names = ['snapshot_iter_{}'.format(i) for i in (1, 2, 10)]
    noise = ['tmpsnapshot_iter_5', '.snapshot_iter_7.abc.tmp', 'other_1']
    for i, n in enumerate(names + noise):
        p = tmp_path / n
        p.write_text('')
        os.utime(p, (1000 + i, 1000 + i))
    (tmp_path / 'snapshot_iter_99').mkdir()
    found = [n for _, n in _snapshot._find_snapshot_files(
        'snapshot_iter_{.updater.iteration}', str(tmp_path))]
    assert found == names
    assert _snapshot._find_latest_snapshot('snapshot_iter_{}', str(tmp_path)) == \
        'snapshot_iter_10'
    assert list(_snapshot._find_stale_snapshots('snapshot_iter_{}', str(tmp_path),
                                                1)) == names[:2]
    pat = [n for _, n in _snapshot._find_snapshot_files('{}_x_{}.npz', str(tmp_path))]
    assert pat == []


def test_process_writer_worker_is_a_forking_multiprocessing_process(tmp_path):
    import multiprocessing
    import numpy
    from kusari.training.extensions import snapshot_writers
    w = snapshot_writers.ProcessWriter()
    worker = w.create_worker('a.npz', str(tmp_path), {'x': numpy.arange(3)})
    assert isinstance(worker, multiprocessing.Process)
    worker.start()
    worker.join()
    assert worker.exitcode == 0
    with numpy.load(str(tmp_path / 'a.npz')) as f:
        numpy.testing.assert_array_equal(f['x'], [0, 1, 2])


def test_queue_writer_consume_calls_each_task_until_none():
    import queue
    from kusari.training.extensions import snapshot_writers
    calls = []
    q = queue.Queue()
    for i in range(2):
        q.put((lambda *a: calls.append(a), 'f{}'.format(i), 'd', 't', 's'))
    q.put(None)

    class W(snapshot_writers.QueueWriter):
        def __init__(self):  # no worker: consume() is called directly
            pass

    W().consume(q)
    assert calls == [('f0', 'd', 't', 's'), ('f1', 'd', 't', 's')]
