"""Preemption: a run killed with SIGKILL (mid-run and during a snapshot write) and
restarted with snapshot(autoload=True) ends with the same parameters, bit for bit,
as an uninterrupted run."""
import os
import signal
import subprocess
import sys

import numpy
import pytest

import kusari

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_preemptible_train.py')
N_ITER, INTERVAL = 60, 10


def _env(**extra):
    env = dict(os.environ)
    roots = []
    for part in list(kusari.__path__):
        root = os.path.dirname(os.path.abspath(part))
        if root not in roots:
            roots.append(root)
    env['PYTHONPATH'] = os.pathsep.join(roots + [env.get('PYTHONPATH', '')])
    env.setdefault('OMP_NUM_THREADS', '1')
    env.pop('SLOW_SNAPSHOT', None)
    env.update(extra)
    return env


def _start(out, **extra):
    return subprocess.Popen([sys.executable, SCRIPT, out, str(N_ITER), str(INTERVAL)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=_env(**extra))


def _kill_when(proc, predicate):
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if predicate(line):
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            return seen
    proc.wait(timeout=30)
    raise AssertionError('the run ended before the kill point:\n' + ''.join(seen))


def _first_iteration(lines):
    its = [int(line.split()[1]) for line in lines if line.startswith('it ')]
    return its[0] if its else None


@pytest.fixture(scope='module')
def reference(tmp_path_factory):
    """Final parameters of the uninterrupted run."""
    ref_out = str(tmp_path_factory.mktemp('reference'))
    proc = _start(ref_out)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    return numpy.load(os.path.join(ref_out, 'final.npy'))


@pytest.mark.timeout(180)
def test_killed_and_restarted_run_equals_uninterrupted_run(tmp_path, reference):

    run_out = str(tmp_path / 'preempted')
    # 1. killed while the second snapshot (iteration 20) is being written: the
    #    temporary file is complete but not yet renamed into place
    proc = _start(run_out, SLOW_SNAPSHOT='30')
    _kill_when(proc, lambda line: line.startswith('saving') and 'iter_20' in line)
    assert proc.returncode == -signal.SIGKILL
    names = os.listdir(run_out)
    assert 'snapshot_iter_10' in names and 'snapshot_iter_20' not in names
    # 2. restarted: resumes from iteration 10; killed mid-run at iteration 37
    proc = _start(run_out)
    lines = _kill_when(proc, lambda line: line.strip() == 'it 37')
    assert _first_iteration(lines) == 11
    # 3. restarted: resumes from 30 and finishes
    proc = _start(run_out)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert _first_iteration(out.splitlines()) == 31
    final = numpy.load(os.path.join(run_out, 'final.npy'))
    assert final.dtype == reference.dtype
    assert final.tobytes() == reference.tobytes()
    snaps = sorted(n for n in os.listdir(run_out) if n.startswith('snapshot_iter_'))
    assert snaps == ['snapshot_iter_40', 'snapshot_iter_50', 'snapshot_iter_60']


@pytest.mark.timeout(180)
def test_truncated_newest_snapshot_falls_back_with_a_warning(tmp_path, reference):

    run_out = str(tmp_path / 'run')
    proc = _start(run_out)
    _kill_when(proc, lambda line: line.strip() == 'it 33')
    newest = os.path.join(run_out, 'snapshot_iter_30')
    with open(newest, 'r+b') as f:
        f.truncate(os.path.getsize(newest) - 100)
    proc = _start(run_out)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, out
    assert 'snapshot_iter_30' in out and 'previous' in out     # the warning
    assert _first_iteration(out.splitlines()) == 21
    final = numpy.load(os.path.join(run_out, 'final.npy'))
    assert final.tobytes() == reference.tobytes()
