"""from_data(): a tabular dataset made of arrays, lists and functions."""
import itertools

import numpy

from kusari.dataset.tabular import _utils
from kusari.dataset.tabular import tabular_dataset


def _is_keys(x):
    return isinstance(x, str) or (isinstance(x, tuple) and x and all(
        isinstance(k, str) for k in x))


class _Column:
    """One source: an array/list (one key) or a callable (one or more keys)."""

    def __init__(self, keys, data, size, who):
        self.keys = keys if isinstance(keys, tuple) else (keys,)
        self.unary = not isinstance(keys, tuple)
        self.data = data
        self.callable = callable(data) and not hasattr(data, '__len__')
        if not self.callable:
            if not self.unary and len(self.keys) != 1:
                raise ValueError('{}: an array or list gives one column, got keys {}'
                                 .format(who, self.keys))
            self.length = len(data)
        else:
            self.length = size

    def get(self, indices, wanted, length):
        """Columns ``wanted`` (positions in self.keys) for ``indices``."""
        if not self.callable:
            data = self.data
            if indices is None:
                col = data
            elif isinstance(indices, slice):
                col = data[indices]
            elif isinstance(data, numpy.ndarray):
                col = data[indices]
            else:
                col = [data[i] for i in indices]
            return [col for _ in wanted]
        rows = _utils.as_range(indices, length)
        out = [[] for _ in wanted]
        for i in rows:
            value = self.data(i)
            if self.unary:
                values = (value,)
            elif isinstance(value, dict):
                values = tuple(value[k] for k in self.keys)
            else:
                values = tuple(value)
            for col, w in zip(out, wanted):
                col.append(values[w])
        return out


class _FromData(tabular_dataset.TabularDataset):

    def __init__(self, columns, mode, size):
        self._columns = columns
        self._mode = mode
        self._keys = tuple(k for c in columns for k in c.keys)
        lengths = {c.length for c in columns if c.length is not None}
        if size is not None:
            lengths.add(size)
        if not lengths:
            raise ValueError('tabular.from_data: the size cannot be inferred from '
                             'functions alone; give size=')
        if len(lengths) != 1:
            raise ValueError('tabular.from_data: columns of different lengths {}'.format(
                sorted(lengths)))
        self._len = lengths.pop()
        if len(set(self._keys)) != len(self._keys):
            raise ValueError('tabular.from_data: duplicate keys {}'.format(self._keys))
        self._where = []
        for c_index, c in enumerate(columns):
            for k_index in range(len(c.keys)):
                self._where.append((c_index, k_index))

    def __len__(self):
        return self._len

    @property
    def keys(self):
        return self._keys

    @property
    def mode(self):
        return self._mode

    def get_examples(self, indices, key_indices):
        if key_indices is None:
            key_indices = tuple(range(len(self._keys)))
        # Ask each source once for all of its requested columns.
        per_source = {}
        for position, k in enumerate(key_indices):
            c_index, k_index = self._where[k]
            per_source.setdefault(c_index, []).append((position, k_index))
        out = [None] * len(key_indices)
        for c_index, wanted in per_source.items():
            cols = self._columns[c_index].get(indices, [w for _, w in wanted], self._len)
            for (position, _), col in zip(wanted, cols):
                out[position] = col
        return tuple(out)


# Keys of unnamed columns: '_0', '_1', ... over the whole process.
_unnamed_keys = itertools.count()


def from_data(data, *, size=None):
    """Make a :class:`~kusari.dataset.TabularDataset` from arrays, lists and functions.

    ``data`` is one column source, a tuple of them (``mode`` tuple) or a dict
    ``{keys: source}`` (``mode`` dict).  A source is an array or list (one
    column), ``(key, array_or_list)``, or ``(keys, function)`` where
    ``function(i)`` returns the value of row ``i`` (for several keys a tuple or
    a dict); functions need ``size`` unless another column gives the length.

    >>> import numpy
    >>> from kusari.dataset import tabular
    >>> ds = tabular.from_data((('x', [10, 20, 30, 40]), ('sq', lambda i: i * i)))
    >>> ds.keys, ds.mode is tuple, ds[3]
    (('x', 'sq'), True, (40, 9))

    """
    who = 'tabular.from_data'

    def source(item, key=None):
        if key is None and isinstance(item, tuple) and len(item) == 2 and \
                _is_keys(item[0]):
            key, item = item
        if key is None:
            if callable(item) and not hasattr(item, '__len__'):
                raise ValueError('{}: a function needs a key: (key, function)'.format(who))
            # Unique across calls (as in Chainer), so that joined datasets made
            # from unnamed columns do not clash.
            key = '_{}'.format(next(_unnamed_keys))
        return _Column(key, item, size, who)

    if isinstance(data, dict):
        columns = [source(v, k) for k, v in data.items()]
        return _FromData(columns, dict, size)
    if isinstance(data, tuple) and not (len(data) == 2 and _is_keys(data[0])):
        columns = [source(item) for item in data]
        return _FromData(columns, tuple, size)
    column = source(data)
    if column.unary:
        mode = None
    else:
        # One function for several keys: its first row says tuple or dict.
        mode = tuple
        if column.callable and size:
            mode = dict if isinstance(column.data(0), dict) else tuple
    return _FromData([column], mode, size)
