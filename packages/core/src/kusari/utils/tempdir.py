"""A temporary directory for the lifetime of a ``with`` block: :func:`tempdir`."""
import contextlib
import shutil
import tempfile


@contextlib.contextmanager
def tempdir(**kwargs):
    """Context manager: a new temporary directory, removed on exit.

    Args:
        ignore_errors (bool): Ignore errors while removing it.
        **kwargs: Passed to :func:`tempfile.mkdtemp` (``suffix``, ``prefix``,
            ``dir``).

    >>> import os
    >>> with tempdir() as d:
    ...     os.path.isdir(d)
    True
    >>> os.path.exists(d)
    False
    """
    ignore_errors = kwargs.pop('ignore_errors', False)
    path = tempfile.mkdtemp(**kwargs)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=ignore_errors)
