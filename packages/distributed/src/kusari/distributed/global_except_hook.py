"""Abort the whole MPI job when one rank has an uncaught exception.

Without it a rank that raises exits while the others wait forever in their next
collective.  The hook prints the traceback once, prefixed by the rank, then calls
``MPI.COMM_WORLD.Abort(1)`` so that ``mpiexec`` ends every rank with a non-zero
status.  :func:`kusari.distributed.create_communicator` adds it when the job has
more than one process (set ``KUSARI_DISTRIBUTED_NO_ABORT=1`` to keep Python's
default hook).
"""
import os
import sys
import traceback

_previous = None


def _global_except_hook(exctype, value, tb):
    try:
        from mpi4py import MPI
        rank, size = MPI.COMM_WORLD.rank, MPI.COMM_WORLD.size
        header = '*** Uncaught exception on rank {} of {}: aborting the MPI job\n'.format(
            rank, size)
        sys.stderr.write(header + ''.join(traceback.format_exception(exctype, value, tb)))
        sys.stderr.flush()
        sys.stdout.flush()
    finally:
        try:
            from mpi4py import MPI
            MPI.COMM_WORLD.Abort(1)
        except BaseException:
            os._exit(1)


def add_hook():
    """Install the hook as ``sys.excepthook`` (idempotent)."""
    global _previous
    if sys.excepthook is not _global_except_hook:
        _previous = sys.excepthook
        sys.excepthook = _global_except_hook


def remove_hook():
    """Restore the ``sys.excepthook`` that was there before :func:`add_hook`."""
    global _previous
    if sys.excepthook is _global_except_hook:
        sys.excepthook = _previous or sys.__excepthook__
        _previous = None


def _add_hook_if_enabled(size):
    if size > 1 and os.environ.get('KUSARI_DISTRIBUTED_NO_ABORT', '') in ('', '0'):
        add_hook()
