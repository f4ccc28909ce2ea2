"""TextDataset: the lines of one or several text files."""
import io
import threading


class TextDataset:
    """A dataset whose ``i``-th example is the ``i``-th line of a text file.

    Lines keep their line ending (translated to ``'\\n'`` unless ``newline`` says
    otherwise).  With several files, the ``i``-th example is the tuple of their
    ``i``-th lines; the files must have the same number of lines.  Only the line
    offsets are kept in memory; lines are read from the files when accessed.

    Args:
        paths (str or list of str): A file path, or a list of them.
        encoding (str or list of str): The encoding(s), as for :func:`open`.
        errors (str or list of str): The decoding error handling(s).
        newline (str or list of str): The newline mode(s), as for :func:`open`.
        filter_func (callable): Called with the line(s) of every example; only the
            examples for which it returns true are kept.

    >>> import os, tempfile
    >>> from kusari.datasets import TextDataset
    >>> path = os.path.join(tempfile.mkdtemp(), 'a.txt')
    >>> with open(path, 'w') as f:
    ...     _ = f.write('hello\\nworld\\n')
    >>> ds = TextDataset(path)
    >>> len(ds), ds[1]
    (2, 'world\\n')
    >>> ds.close()

    """

    def __init__(self, paths, encoding=None, errors=None, newline=None,
                 filter_func=None):
        if isinstance(paths, (str, bytes)) or hasattr(paths, '__fspath__'):
            paths = [paths]
        elif not paths:
            raise ValueError('TextDataset: at least one path is needed')
        n = len(paths)
        self._paths = list(paths)
        self._encoding = self._per_file(encoding, n, 'encoding')
        self._errors = self._per_file(errors, n, 'errors')
        self._newline = self._per_file(newline, n, 'newline')
        self._lock = threading.Lock()
        self._fps = None
        self._open()
        self._lines = self._index(filter_func)

    @staticmethod
    def _per_file(value, n, name):
        if isinstance(value, (list, tuple)):
            if len(value) != n:
                raise ValueError('TextDataset: {} {}s for {} paths'.format(
                    len(value), name, n))
            return list(value)
        return [value] * n

    def _open(self):
        self._fps = [io.open(p, mode='rt', encoding=e, errors=r, newline=nl)
                     for p, e, r, nl in zip(self._paths, self._encoding, self._errors,
                                            self._newline)]

    def _index(self, filter_func):
        offsets = []
        for fp in self._fps:
            fp.seek(0)
            positions = []
            while True:
                pos = fp.tell()
                line = fp.readline()
                if not line:
                    break
                positions.append(pos)
            offsets.append(positions)
        counts = {len(p) for p in offsets}
        if len(counts) != 1:
            raise ValueError('TextDataset: the files have different numbers of lines: '
                             '{}'.format(dict(zip(self._paths, map(len, offsets)))))
        lines = list(zip(*offsets))
        if filter_func is not None:
            lines = [pos for pos in lines if filter_func(*self._read(pos))]
        return lines

    def _read(self, positions):
        out = []
        for fp, pos in zip(self._fps, positions):
            fp.seek(pos)
            out.append(fp.readline())
        return out

    def __len__(self):
        return len(self._lines)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not isinstance(index, int) and hasattr(index, '__len__'):
            return [self[i] for i in index]
        with self._lock:
            lines = self._read(self._lines[index])
        return lines[0] if len(lines) == 1 else tuple(lines)

    def close(self):
        """Close the files (reading afterwards raises ``ValueError``)."""
        errors = []
        for fp in self._fps:
            try:
                fp.close()
            except Exception as e:
                errors.append(e)
        if errors:
            raise errors[0]

    def __getstate__(self):
        state = self.__dict__.copy()
        del state['_fps'], state['_lock']
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._open()
