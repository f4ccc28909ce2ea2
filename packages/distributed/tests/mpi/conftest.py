"""Tests in this folder run on any number of processes.

Plain ``pytest`` runs them on one process; ``tests/test_mpiexec.py`` runs them again
under ``mpiexec -n 2`` and ``-n 3``.  Every test must take the same collective path
on every rank (a test that skips on one rank only would leave the others waiting).
"""
import os
import tempfile

import pytest

mpi4py = pytest.importorskip('mpi4py')
from mpi4py import MPI  # noqa: E402


@pytest.fixture
def mpi_comm():
    return MPI.COMM_WORLD


@pytest.fixture
def shared_tmp(mpi_comm):
    """A temporary directory that every rank sees (they run on one machine here)."""
    path = tempfile.mkdtemp(prefix='kusari-dist-') if mpi_comm.rank == 0 else None
    path = mpi_comm.bcast(path, root=0)
    yield path
    mpi_comm.barrier()
    if mpi_comm.rank == 0:
        import shutil
        shutil.rmtree(path, ignore_errors=True)


def pytest_sessionfinish(session, exitstatus):
    # under tests/test_mpiexec.py every rank reports its own outcome in a file
    # (the ranks' terminal outputs interleave)
    out = os.environ.get('KUSARI_MPI_REPORT_DIR')
    if out:
        reporter = session.config.pluginmanager.get_plugin('terminalreporter')
        stats = reporter.stats if reporter is not None else {}
        counts = {k: len(v) for k, v in stats.items() if k in ('passed', 'failed',
                                                                'error', 'skipped')}
        with open(os.path.join(out, 'rank{}.txt'.format(MPI.COMM_WORLD.rank)), 'w') as f:
            f.write('{} {} {} {}\n'.format(int(exitstatus), counts.get('passed', 0),
                                           counts.get('failed', 0) + counts.get('error', 0),
                                           counts.get('skipped', 0)))
