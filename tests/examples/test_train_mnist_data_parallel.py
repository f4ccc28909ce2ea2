"""examples/train_mnist_data_parallel.py under ``mpiexec -n 2`` on scikit-learn's digits."""
import os
import re
import shutil
import subprocess
import sys

import pytest

pytest.importorskip('kusari.training')
pytest.importorskip('kusari.distributed')
pytest.importorskip('mpi4py')
pytest.importorskip('sklearn')

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), 'examples')


def find_mpiexec():
    here = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    return here if os.path.exists(here) else shutil.which('mpiexec')


@pytest.mark.skipif(find_mpiexec() is None, reason='no mpiexec (pip install mpich)')
def test_data_parallel_example_reaches_single_process_accuracy(tmp_path, example_env):
    path = os.path.join(EXAMPLES, 'train_mnist_data_parallel.py')
    proc = subprocess.run([find_mpiexec(), '-n', '2', sys.executable, path,
                           '--epoch', '20', '--out', 'result'],
                          env=example_env, cwd=str(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert '# processes: 2' in proc.stdout
    # only rank 0 prints the result
    found = re.findall(r'final test accuracy: ([\d.]+)', proc.stdout)
    assert len(found) == 1, proc.stdout[-3000:]
    assert float(found[0]) >= 0.97, proc.stdout[-3000:]
