"""Fixtures of the end-to-end example tests: run ``examples/<name>.py`` in a subprocess.

The child gets the same ``kusari`` as the test process: every directory that holds a
part of the ``kusari`` namespace package (the packages' ``src/`` directories in a
source checkout, ``site-packages`` for installed distributions) is put in front of
``PYTHONPATH``.  BLAS libraries are limited to one thread unless the environment
says otherwise (a multi-threaded BLAS on a busy machine makes these small problems
orders of magnitude slower).
"""
import os
import subprocess
import sys

import pytest

import kusari

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(TOP, 'examples')


def child_env():
    env = dict(os.environ)
    roots = []
    for part in list(kusari.__path__):
        root = os.path.dirname(os.path.abspath(part))
        if root not in roots:
            roots.append(root)
    old = [p for p in env.get('PYTHONPATH', '').split(os.pathsep) if p]
    env['PYTHONPATH'] = os.pathsep.join(roots + [p for p in old if p not in roots])
    for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        env.setdefault(var, '1')
    env['PYTHONUNBUFFERED'] = '1'
    return env


def run(name, *args, timeout=120, cwd=None):
    """Run ``examples/<name>.py args...``; return the CompletedProcess (text output)."""
    path = os.path.join(EXAMPLES, name + '.py')
    proc = subprocess.run([sys.executable, path, *map(str, args)], env=child_env(),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          timeout=timeout, cwd=cwd)
    proc.output = proc.stdout + proc.stderr
    return proc


@pytest.fixture
def run_example(tmp_path):
    """``run_example(name, *args)``: run an example in a temporary working directory."""
    def _run(name, *args, timeout=120):
        return run(name, *args, timeout=timeout, cwd=str(tmp_path))
    return _run




@pytest.fixture
def example_env():
    """The environment ``run_example`` gives a child (for tests that start it themselves)."""
    return child_env()
