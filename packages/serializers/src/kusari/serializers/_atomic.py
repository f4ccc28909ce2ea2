"""Atomic file replacement: a crash or kill while saving never destroys the old file.

The data is written to a temporary file in the destination's directory, flushed and
``fsync``-ed, then renamed over the destination with :func:`os.replace` (atomic on
POSIX and Windows), and the directory is ``fsync``-ed so that the rename itself is
durable.  If writing fails, the temporary file is removed and the destination is
untouched; if the process is killed, at worst a stray ``.<name>.*.tmp`` file is left.
"""
import contextlib
import os
import tempfile


def is_path(file):
    """Return True when ``file`` is a path (``str``, ``bytes``, ``os.PathLike``)."""
    return isinstance(file, (str, bytes, os.PathLike))


def _umask():
    # Read the process umask without a window in which it is changed (Linux), or
    # with the usual set-and-restore trick elsewhere.
    try:
        with open('/proc/self/status') as f:
            for line in f:
                if line.startswith('Umask:'):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_directory(directory):
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, 'O_DIRECTORY', 0))
    except OSError:
        return  # not supported (e.g. Windows): the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_path(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(path):
    """Context manager giving a temporary path that replaces ``path`` on success.

    The body writes the complete new file at the yielded path (and closes it).  On
    normal exit the file is ``fsync``-ed and renamed over ``path`` (symbolic links
    are followed: the file they point to is replaced), then the directory is
    ``fsync``-ed.  On an exception the temporary file is removed and ``path`` is left
    as it was.  The new file gets the permission bits of the file it replaces, or
    ``0o666`` minus the umask for a new file (like :func:`open`).

    Args:
        path (str or os.PathLike): The destination.

    Yields:
        str: The temporary path to write to (in the same directory as ``path``).

    """
    path = os.fsdecode(os.fspath(path))
    path = os.path.realpath(path)
    directory = os.path.dirname(path)
    try:
        mode = os.stat(path).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(
        prefix='.' + os.path.basename(path) + '.', suffix='.tmp', dir=directory)
    try:
        try:
            os.fchmod(fd, mode)
        except (AttributeError, OSError):  # pragma: no cover - not POSIX
            pass
        os.close(fd)
        fd = None
        yield tmp
        _fsync_path(tmp)
        os.replace(tmp, path)
    except BaseException:
        if fd is not None:
            os.close(fd)
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_directory(directory)


@contextlib.contextmanager
def atomic_open(path):
    """Like :func:`atomic_path`, but yields the temporary file opened as ``'w+b'``.

    The file is flushed, ``fsync``-ed and closed before it replaces ``path``.
    """
    with atomic_path(path) as tmp:
        with open(tmp, 'w+b') as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
