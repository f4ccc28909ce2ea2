"""PickleDataset: examples stored one after another as pickles in one file.

.. warning::
   These classes **unpickle by design** (it is Chainer's format): reading a
   pickle can run arbitrary code, so only open files you created yourself or
   trust.  Nothing else in kusari unpickles.
"""
import contextlib
import os
import pickle
import tempfile
import threading
import weakref

from kusari.dataset import dataset_mixin

# Datasets to notify after a fork (their readers reopen files in the child).
_datasets_to_notify = weakref.WeakSet()


def _after_fork():
    for dataset in list(_datasets_to_notify):
        dataset._after_fork()


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(after_in_child=_after_fork)


class PickleDatasetWriter:
    """Write examples to a stream, one pickle after another.

    Args:
        writer: A binary stream with ``write``, ``tell`` and ``flush``.
        protocol (int): The pickle protocol.

    """

    def __init__(self, writer, protocol=pickle.HIGHEST_PROTOCOL):
        self._positions = []
        self._writer = writer
        self._protocol = protocol

    def close(self):
        """Close the stream."""
        self._writer.close()

    def write(self, x):
        """Append one example ``x`` (anything picklable)."""
        position = self._writer.tell()
        pickle.dump(x, self._writer, protocol=self._protocol)
        self._positions.append(position)

    def flush(self):
        """Flush the stream."""
        self._writer.flush()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()


class PickleDataset(dataset_mixin.DatasetMixin):
    """A dataset read from a stream written by :class:`PickleDatasetWriter`.

    **This unpickles by design** (Chainer's format): when constructed it reads
    through the whole stream once to find where each example starts, and
    ``dataset[i]`` unpickles the ``i``-th example.  Unpickling untrusted data can
    run arbitrary code: use it only with files you trust.

    Args:
        reader: A binary stream with ``read``, ``seek`` and ``tell``; a reader
            with an ``after_fork()`` method is told when the process forks (for
            example by a :class:`~kusari.iterators.MultiprocessIterator`).

    >>> import io
    >>> from kusari.datasets import PickleDataset, PickleDatasetWriter
    >>> stream = io.BytesIO()
    >>> writer = PickleDatasetWriter(stream)
    >>> writer.write({'x': 1}); writer.write('two'); writer.flush()
    >>> ds = PickleDataset(stream)
    >>> len(ds), ds[1], ds[0]
    (2, 'two', {'x': 1})

    """

    def __init__(self, reader):
        self._reader = reader
        self._positions = []
        self._lock = threading.RLock()
        reader.seek(0)
        while True:
            position = reader.tell()
            try:
                pickle.load(reader)
            except EOFError:
                break
            self._positions.append(position)
        _datasets_to_notify.add(self)

    def __len__(self):
        return len(self._positions)

    def get_example(self, i):
        with self._lock:
            self._reader.seek(self._positions[i])
            return pickle.load(self._reader)

    def close(self):
        """Close the underlying stream."""
        self._reader.close()

    def _after_fork(self):
        if callable(getattr(self._reader, 'after_fork', None)):
            self._reader.after_fork()

    def __getstate__(self):
        state = self.__dict__.copy()
        del state['_lock']
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.RLock()
        _datasets_to_notify.add(self)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()


class _FileReader:
    """A file reader that reopens its file after a fork and when unpickled."""

    def __init__(self, path):
        self.path = path
        self._fp = open(path, 'rb')

    def __getstate__(self):
        return {'path': self.path}

    def __setstate__(self, state):
        self.path = state['path']
        self._fp = open(self.path, 'rb')

    def after_fork(self):
        # A forked child must not share the parent's file offset.
        try:
            self._fp.close()
        except Exception:
            pass
        self._fp = open(self.path, 'rb')

    def close(self):
        self._fp.close()

    def read(self, *args):
        return self._fp.read(*args)

    def readline(self, *args):
        return self._fp.readline(*args)

    def seek(self, *args):
        return self._fp.seek(*args)

    def tell(self):
        return self._fp.tell()

    def peek(self, *args):
        return self._fp.peek(*args)


class _AtomicFileWriter:
    """A binary file written to a temporary name, moved into place on close."""

    def __init__(self, path):
        self.path = os.fspath(path)
        directory = os.path.dirname(os.path.abspath(self.path))
        fd, self._tmp = tempfile.mkstemp(dir=directory, prefix='.' + os.path.basename(
            self.path), suffix='.tmp')
        self._fp = os.fdopen(fd, 'wb')

    def write(self, data):
        return self._fp.write(data)

    def tell(self):
        return self._fp.tell()

    def flush(self):
        self._fp.flush()

    def close(self, commit=True):
        if self._fp.closed:
            return
        self._fp.flush()
        os.fsync(self._fp.fileno())
        self._fp.close()
        if commit:
            os.replace(self._tmp, self.path)
        else:
            with contextlib.suppress(OSError):
                os.remove(self._tmp)


@contextlib.contextmanager
def open_pickle_dataset(path):
    """Open a pickle dataset file for reading, as a context manager.

    **Unpickles by design** (see :class:`PickleDataset`): use trusted files only.

    Args:
        path (str): The file written by :func:`open_pickle_dataset_writer`.

    Yields:
        PickleDataset: The dataset (closed on exit).

    """
    reader = _FileReader(path)
    with PickleDataset(reader) as dataset:
        yield dataset


@contextlib.contextmanager
def open_pickle_dataset_writer(path, protocol=pickle.HIGHEST_PROTOCOL):
    """Open a pickle dataset file for writing, as a context manager.

    The file is written under a temporary name and moved to ``path`` when the
    block ends normally (atomic: an exception leaves no partial file).

    Args:
        path (str): The file to create.
        protocol (int): The pickle protocol.

    Yields:
        PickleDatasetWriter: The writer.

    >>> import os, tempfile
    >>> from kusari.datasets import open_pickle_dataset, open_pickle_dataset_writer
    >>> path = os.path.join(tempfile.mkdtemp(), 'ds.pkl')
    >>> with open_pickle_dataset_writer(path) as writer:
    ...     writer.write((1, 'a'))
    >>> with open_pickle_dataset(path) as ds:
    ...     ds[0]
    (1, 'a')

    """
    fp = _AtomicFileWriter(path)
    writer = PickleDatasetWriter(fp, protocol=protocol)
    try:
        yield writer
    except BaseException:
        fp.close(commit=False)
        raise
    fp.close(commit=True)
