"""The rank-count-independent tests under ``mpiexec -n 2`` and ``-n 3``; fault handling.

Each multi-process run has a wall-clock timeout, so a hang fails instead of blocking.
"""
import os
import shutil
import subprocess
import sys
import textwrap
import time

import pytest

pytest.importorskip('mpi4py')

HERE = os.path.dirname(os.path.abspath(__file__))
MPI_TESTS = os.path.join(HERE, 'mpi')


def find_mpiexec():
    here = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    return here if os.path.exists(here) else shutil.which('mpiexec')


MPIEXEC = find_mpiexec()
needs_mpiexec = pytest.mark.skipif(MPIEXEC is None,
                                   reason='no mpiexec (pip install mpich)')


def child_env():
    import kusari
    env = dict(os.environ)
    roots = []
    for part in kusari.__path__:
        root = os.path.dirname(os.path.abspath(part))
        if root not in roots:
            roots.append(root)
    old = [p for p in env.get('PYTHONPATH', '').split(os.pathsep) if p]
    env['PYTHONPATH'] = os.pathsep.join(roots + old)
    for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        env.setdefault(var, '1')
    env['PYTHONUNBUFFERED'] = '1'
    return env


def mpirun(n, args, timeout, cwd=None, env=None):
    return subprocess.run([MPIEXEC, '-n', str(n), sys.executable, *args],
                          env=dict(child_env(), **(env or {})), cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=timeout)


@needs_mpiexec
@pytest.mark.parametrize('n', [2, 3])
def test_mpi_tests_pass_on_every_rank(n, tmp_path):
    proc = mpirun(n, ['-m', 'pytest', MPI_TESTS, '-q', '-p', 'no:cacheprovider'],
                  timeout=240, env={'KUSARI_MPI_REPORT_DIR': str(tmp_path)})
    assert proc.returncode == 0, proc.stdout[-4000:]
    reports = sorted(os.listdir(tmp_path))
    assert reports == ['rank{}.txt'.format(r) for r in range(n)], proc.stdout[-4000:]
    for name in reports:
        status, passed, failed, skipped = map(int, (tmp_path / name).read_text().split())
        assert (status, failed) == (0, 0), (name, proc.stdout[-4000:])
        assert passed >= 60, (name, passed)


@needs_mpiexec
def test_rank_that_raises_aborts_the_job(tmp_path):
    script = tmp_path / 'fault.py'
    script.write_text(textwrap.dedent('''
        import time
        from kusari import distributed
        comm = distributed.create_communicator('naive')
        if comm.rank == 1:
            time.sleep(0.5)
            raise RuntimeError('boom on rank 1')
        comm.mpi_comm.barrier()          # rank 1 never gets here: would hang forever
        print('unreachable')
    '''))
    start = time.monotonic()
    proc = mpirun(2, [str(script)], timeout=60)
    elapsed = time.monotonic() - start
    assert proc.returncode != 0
    assert elapsed < 30, elapsed
    assert proc.stdout.count('RuntimeError: boom on rank 1') == 1, proc.stdout
    assert proc.stdout.count('Uncaught exception on rank 1 of 2') == 1, proc.stdout
    assert 'unreachable' not in proc.stdout


@needs_mpiexec
def test_data_size_error_on_every_rank_not_a_deadlock(tmp_path):
    script = tmp_path / 'empty.py'
    script.write_text(textwrap.dedent('''
        from kusari import distributed
        comm = distributed.create_communicator('naive')
        try:
            distributed.scatter_dataset([0], comm)      # 1 example, 3 processes
        except distributed.DataSizeError as e:
            with open('rank{}.txt'.format(comm.rank), 'w') as f:
                f.write(str(e))
    '''))
    proc = mpirun(3, [str(script)], timeout=60, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    for r in range(3):
        assert (tmp_path / 'rank{}.txt'.format(r)).read_text().startswith(
            'scatter_dataset: the dataset has 1 examples for 3 processes')
