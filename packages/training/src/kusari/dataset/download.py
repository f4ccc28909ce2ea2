"""The dataset root directory and downloads into it (Chainer's
``chainer.dataset.download``).

Files are fetched once and cached under the *dataset root*: the directory named by
the environment variable ``KUSARI_DATASET_ROOT``, or ``kusari/dataset`` under the
user's cache directory (``$XDG_CACHE_HOME`` or ``~/.cache``), or whatever
:func:`set_dataset_root` set.  Every file is written to a temporary file in the
target directory first and moved into place with ``os.replace`` only once it is
complete (and, when a SHA-256 is given, verified), so an interrupted download
never leaves a partial file behind.
"""
import contextlib
import hashlib
import http.client
import os
import shutil
import tempfile
import urllib.error
import urllib.request

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no inter-process lock
    fcntl = None

_dataset_root = None

# Seconds to wait for a server before giving up (a stalled download must end).
_TIMEOUT = 60


class DownloadError(RuntimeError):
    """A file could not be downloaded or did not match its SHA-256."""


def _default_root():
    env = os.environ.get('KUSARI_DATASET_ROOT')
    if env:
        return env
    cache = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache')
    return os.path.join(cache, 'kusari', 'dataset')


def get_dataset_root():
    """Return the dataset root directory.

    It is the path given to :func:`set_dataset_root` if any, else the environment
    variable ``KUSARI_DATASET_ROOT``, else ``kusari/dataset`` under the user's
    cache directory (``$XDG_CACHE_HOME`` or ``~/.cache``).
    """
    return _dataset_root if _dataset_root is not None else _default_root()


def set_dataset_root(path):
    """Set the dataset root directory (``None`` goes back to the default).

    Args:
        path (str or os.PathLike): The new root.

    """
    global _dataset_root
    _dataset_root = None if path is None else os.fspath(path)


def get_dataset_directory(dataset_name, create_directory=True):
    """Return the directory of a dataset under the dataset root.

    Args:
        dataset_name (str): A relative path such as ``'pfnet/chainer/mnist'``.
        create_directory (bool): Create the directory if it does not exist.

    Returns:
        str: ``os.path.join(get_dataset_root(), dataset_name)``.

    """
    path = os.path.join(get_dataset_root(), dataset_name)
    if create_directory:
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as e:
            raise OSError('get_dataset_directory: cannot create {}: {}'.format(
                path, e)) from e
    return path


@contextlib.contextmanager
def _file_lock(lock_path):
    """An exclusive inter-process lock (flock) held while the block runs."""
    os.makedirs(os.path.dirname(lock_path), exist_ok=True)
    with open(lock_path, 'a') as f:
        if fcntl is not None:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _sha256_of(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def download_to(url, path, sha256=None, who='cached_download'):
    """Download ``url`` to ``path`` atomically, checking ``sha256`` when given.

    Does nothing if ``path`` already exists (and, with ``sha256``, matches it; a
    file that does not match is downloaded again).  Several processes may call it
    for the same path at once: a lock file serializes them.

    Args:
        url (str): The URL (``http(s)://`` or ``file://``).
        path (str): Where the file goes.
        sha256 (str): The expected SHA-256 hex digest, or ``None``.
        who (str): The name used in error messages.

    Returns:
        str: ``path``.

    Raises:
        DownloadError: The download failed (the message names the URL and
            ``path``, where the file can be put by hand), or the downloaded file
            does not match ``sha256``.

    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with _file_lock(os.path.join(directory, '.' + os.path.basename(path) + '.lock')):
        if os.path.exists(path):
            if sha256 is None or _sha256_of(path) == sha256.lower():
                return path
        fd, tmp = tempfile.mkstemp(dir=directory, prefix='.' + os.path.basename(path),
                                   suffix='.part')
        try:
            h = hashlib.sha256()
            with os.fdopen(fd, 'wb') as out:
                try:
                    with urllib.request.urlopen(url, timeout=_TIMEOUT) as response:
                        expected = response.headers.get('Content-Length')
                        received = 0
                        for chunk in iter(lambda: response.read(1 << 20), b''):
                            h.update(chunk)
                            out.write(chunk)
                            received += len(chunk)
                        # read(n) does not notice a connection closed early.
                        if expected is not None and received != int(expected):
                            raise http.client.IncompleteRead(
                                b'', int(expected) - received)
                except (urllib.error.URLError, http.client.HTTPException, OSError,
                        ValueError) as e:
                    raise DownloadError(
                        '{}: could not download {} ({}). Without network access, '
                        'download it elsewhere and put it at {}'.format(
                            who, url, getattr(e, 'reason', e), path)) from e
                out.flush()
                os.fsync(out.fileno())
            digest = h.hexdigest()
            if sha256 is not None and digest != sha256.lower():
                raise DownloadError(
                    '{}: {} has SHA-256 {}, expected {} (a corrupted or changed file; '
                    'nothing was written to {})'.format(who, url, digest, sha256, path))
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise
    return path


def cached_download(url, sha256=None):
    """Download a file once and return the path of the cached copy.

    The copy lives in ``_dl_cache`` under the dataset root, named by the SHA-256
    of the URL.  The download goes to a temporary file that is moved into place
    only when complete (and verified), so a partial file is never used.

    Args:
        url (str): The URL of the file.
        sha256 (str): The expected SHA-256 hex digest of the file, or ``None``
            (no check).  A cached copy that does not match is downloaded again.

    Returns:
        str: The path of the cached file.

    Raises:
        DownloadError: The file cannot be downloaded (the message names the URL
            and the path where the file can be put by hand) or does not match
            ``sha256``.

    >>> import os, tempfile, pathlib
    >>> from kusari.dataset import cached_download, set_dataset_root
    >>> tmp = tempfile.mkdtemp()
    >>> src = pathlib.Path(tmp, 'a.txt'); _ = src.write_text('hello')
    >>> set_dataset_root(os.path.join(tmp, 'root'))
    >>> path = cached_download(src.as_uri())
    >>> open(path).read()
    'hello'
    >>> set_dataset_root(None)

    """
    cache_root = os.path.join(get_dataset_root(), '_dl_cache')
    name = hashlib.sha256(url.encode('utf-8')).hexdigest()
    return download_to(url, os.path.join(cache_root, name), sha256, 'cached_download')


def cache_or_load_file(path, creator, loader):
    """Load a file if it exists, else create it with ``creator`` (atomically).

    ``creator(temp_path)`` writes the file to a temporary path and returns the
    content; the file is then moved to ``path``.  Concurrent callers are
    serialized with a lock file, so only one of them creates the file.

    Args:
        path (str): The path of the cached file.
        creator (callable): ``creator(path) -> content``.
        loader (callable): ``loader(path) -> content``.

    Returns:
        The content (from ``loader`` if the file existed, else from ``creator``).

    >>> import os, tempfile
    >>> from kusari.dataset import cache_or_load_file
    >>> path = os.path.join(tempfile.mkdtemp(), 'x.txt')
    >>> def creator(p):
    ...     with open(p, 'w') as f:
    ...         _ = f.write('made')
    ...     return 'created'
    >>> cache_or_load_file(path, creator, lambda p: open(p).read())
    'created'
    >>> cache_or_load_file(path, creator, lambda p: open(p).read())
    'made'

    """
    if os.path.exists(path):
        return loader(path)
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise RuntimeError('cache_or_load_file: cannot create the directory {}: {}'
                           .format(directory, e)) from e
    with _file_lock(os.path.join(directory, '.' + os.path.basename(path) + '.lock')):
        if os.path.exists(path):
            return loader(path)
        temp_root = tempfile.mkdtemp(dir=directory, prefix='.tmp')
        try:
            temp_path = os.path.join(temp_root, os.path.basename(path))
            content = creator(temp_path)
            if not os.path.exists(temp_path):
                raise RuntimeError('cache_or_load_file: the creator did not write {}'
                                   .format(temp_path))
            os.replace(temp_path, path)
        finally:
            shutil.rmtree(temp_root, ignore_errors=True)
    return content
