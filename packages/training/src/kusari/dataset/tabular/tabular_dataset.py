"""TabularDataset: a dataset of named columns, with views (Chainer 7's
``chainer.dataset.TabularDataset``)."""
import numpy

from kusari import backend
from kusari.dataset import dataset_mixin


def _as_array(data):
    if isinstance(data, backend.get_array_types()):
        return data
    return numpy.asarray(data)


class TabularDataset(dataset_mixin.DatasetMixin):
    """A dataset of rows whose elements are named columns (``keys``).

    Subclasses implement :meth:`__len__`, :attr:`keys`, :attr:`mode` and
    :meth:`get_examples`.  :attr:`mode` says how an example looks: ``tuple``
    (``(a[i], b[i])``), ``dict`` (``{'a': a[i], 'b': b[i]}``) or ``None`` (one
    column: the bare value ``a[i]``).  Views (:attr:`slice`, :meth:`concat`,
    :meth:`join`, :meth:`transform`, :meth:`transform_batch`,
    :meth:`with_converter`, :meth:`astuple`, :meth:`asdict`) compute nothing
    until data is asked for, and then ask their base for whole columns.

    >>> import numpy
    >>> from kusari.dataset import tabular
    >>> ds = tabular.from_data({'x': numpy.arange(5) * 10, 'y': list('abcde')})
    >>> sorted(ds.keys), ds.mode is dict, len(ds)
    (['x', 'y'], True, 5)
    >>> view = ds.slice[[4, 0], ('y', 'x')]
    >>> view.keys, view[0] == {'y': 'e', 'x': 40}
    (('y', 'x'), True)
    >>> view.astuple().fetch()
    (['e', 'a'], array([40,  0]))

    """

    def __len__(self):
        raise NotImplementedError(
            '{}.__len__ is not implemented'.format(type(self).__name__))

    @property
    def keys(self):
        """The names of the columns (a tuple of str)."""
        raise NotImplementedError

    @property
    def mode(self):
        """``tuple``, ``dict`` or ``None`` (one column, bare values)."""
        raise NotImplementedError

    def get_examples(self, indices, key_indices):
        """Return some rows of some columns, column-major.

        Args:
            indices (None, slice or list of ints): The rows (``None``: all).
            key_indices (None or tuple of ints): The columns (``None``: all).

        Returns:
            tuple: One list or array per requested column.

        """
        raise NotImplementedError

    # -- access -------------------------------------------------------------------------

    def _shape(self, columns):
        if self.mode is tuple:
            return tuple(columns)
        if self.mode is dict:
            return dict(zip(self.keys, columns))
        return columns[0]

    def fetch(self):
        """All the data, column-major: a tuple/dict of lists or arrays (or one)."""
        return self._shape(self.get_examples(None, None))

    def convert(self, data):
        """Turn fetched data into arrays (the default converter of a tabular dataset)."""
        if isinstance(data, tuple):
            return tuple(_as_array(d) for d in data)
        if isinstance(data, dict):
            return {k: _as_array(v) for k, v in data.items()}
        return _as_array(data)

    def get_example(self, i):
        columns = self.get_examples([i], None)
        return self._shape(tuple(col[0] for col in columns))

    def __getitem__(self, index):
        if isinstance(index, (slice, list, numpy.ndarray)):
            from kusari.dataset.tabular import _utils
            rows = _utils.normalize_indices(index, len(self), type(self).__name__)
            columns = self.get_examples(rows, None)
            n = len(_utils.as_range(rows, len(self)))
            return [self._shape(tuple(col[j] for col in columns)) for j in range(n)]
        if isinstance(index, (int, numpy.integer)) and index < 0:
            index += len(self)
            if index < 0:
                raise IndexError('{}: index out of range'.format(type(self).__name__))
        return self.get_example(index)

    def __iter__(self):
        for i in range(len(self)):
            yield self.get_example(i)

    # -- views --------------------------------------------------------------------------

    @property
    def slice(self):
        """A view of some rows and/or columns: ``dataset.slice[rows, keys]``.

        ``rows`` is a slice, a list/array of ints or a boolean mask; ``keys`` a
        key (name or index: the view has ``mode`` ``None``) or a tuple of them.
        """
        from kusari.dataset.tabular import _slice
        return _slice.SliceHelper(self)

    def astuple(self):
        """A view whose :attr:`mode` is ``tuple``."""
        from kusari.dataset.tabular import _asmode
        return _asmode.AsTuple(self)

    def asdict(self):
        """A view whose :attr:`mode` is ``dict``."""
        from kusari.dataset.tabular import _asmode
        return _asmode.AsDict(self)

    as_tuple = astuple
    as_dict = asdict

    def concat(self, *datasets):
        """Rows of ``self`` followed by rows of each of ``datasets`` (same keys)."""
        from kusari.dataset.tabular import _concat
        return _concat.Concat(self, *datasets)

    def join(self, *datasets):
        """The columns of ``self`` and of each of ``datasets`` (same length)."""
        from kusari.dataset.tabular import _join
        return _join.Join(self, *datasets)

    def transform(self, keys, transform):
        """A view whose rows are ``transform(*row)`` (or ``transform(**row)``).

        Args:
            keys (str or tuple of str): The names of the new columns; a str gives
                a one-column view returning bare values.
            transform (callable): Called with one row; returns a tuple, a dict or
                (one column) a value.
        """
        from kusari.dataset.tabular import _transform
        return _transform.Transform(self, keys, transform)

    def transform_batch(self, keys, transform_batch):
        """Like :meth:`transform`, but called once with whole columns."""
        from kusari.dataset.tabular import _transform
        return _transform.TransformBatch(self, keys, transform_batch)

    def with_converter(self, converter):
        """A view whose :meth:`convert` is ``converter(*columns)`` / ``(**columns)``."""
        from kusari.dataset.tabular import _with_converter
        return _with_converter.WithConverter(self, converter)
