"""Atomic writing of the files extensions produce (logs, plots, snapshots)."""
import contextlib
import os
import tempfile


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def temp_path_for(path):
    """Yield a temporary path next to ``path``; on success rename it to ``path``.

    The temporary name starts with ``.`` (hidden, and never mistaken for the final
    file); it is removed if the body raises.
    """
    directory, name = os.path.split(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.' + name + '.', suffix='.tmp', dir=directory)
    os.close(fd)
    # mkstemp creates the file 0600; give it the mode open() would (umask applied)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


@contextlib.contextmanager
def open_atomic(path, mode='w'):
    """Open a temporary file that replaces ``path`` when the block succeeds.

    No ``fsync``: a killed process never leaves a partial file under ``path``
    (the rename is atomic); logs and plots are rewritten often and are not worth
    a disk flush each time (snapshots are: ``save_npz`` syncs them).
    """
    with temp_path_for(path) as tmp:
        with open(tmp, mode) as f:
            yield f
