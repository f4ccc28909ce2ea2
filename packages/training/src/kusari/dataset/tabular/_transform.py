"""transform() / transform_batch(): computed columns."""
from kusari.dataset.tabular import _utils
from kusari.dataset.tabular import tabular_dataset


def _call(func, mode, args):
    if mode is tuple:
        return func(*args)
    if mode is dict:
        return func(**args)
    return func(args)


def _mode_of(value):
    if isinstance(value, tuple):
        return tuple
    if isinstance(value, dict):
        return dict
    return None


class _TransformBase(tabular_dataset.TabularDataset):

    def __init__(self, dataset, keys, func):
        if not callable(func):
            raise TypeError('{}: the transform must be callable, got {}'.format(
                self._who, type(func).__name__))
        self._dataset = dataset
        if isinstance(keys, str):
            self._keys = (keys,)
            self._unary = True
        else:
            self._keys = tuple(keys)
            self._unary = False
        self._func = func
        self._mode_known = False
        self._out_mode = None

    def __len__(self):
        return len(self._dataset)

    @property
    def keys(self):
        return self._keys

    @property
    def mode(self):
        if not self._mode_known:
            if len(self._dataset) == 0:
                return None if self._unary else tuple
            self.get_examples([0], None)     # the first output tells the mode
        return self._out_mode

    def _check(self, out):
        """Validate one output; return its values in key order."""
        mode = _mode_of(out)
        if not self._mode_known:
            self._out_mode = mode
            self._mode_known = True
        elif mode is not self._out_mode:
            raise ValueError('{}: the transform returned a {} after returning a {} '
                             '(the mode must not change)'.format(
                                 self._who, _name(mode), _name(self._out_mode)))
        if mode is tuple:
            values = out
        elif mode is dict:
            if set(out) != set(self._keys):
                raise ValueError('{}: the transform returned keys {}, expected {}'
                                 .format(self._who, sorted(out), list(self._keys)))
            values = tuple(out[k] for k in self._keys)
        else:
            values = (out,)
        if len(values) != len(self._keys):
            raise ValueError('{}: the transform returned {} values for {} keys {}'
                             .format(self._who, len(values), len(self._keys),
                                     self._keys))
        return values

    def _base_rows(self, indices):
        data = self._dataset.get_examples(indices, None)
        mode = self._dataset.mode
        if mode is dict:
            return data, dict, self._dataset.keys
        return data, mode, None

    def convert(self, data):
        return self._dataset.convert(data)


def _name(mode):
    return {tuple: 'tuple', dict: 'dict'}.get(mode, 'single value')


class Transform(_TransformBase):
    """Columns computed row by row by ``transform(*row)`` / ``transform(**row)``."""

    _who = 'TabularDataset.transform'

    def get_examples(self, indices, key_indices):
        data, mode, keys = self._base_rows(indices)
        n = len(data[0]) if data else len(_utils.as_range(indices, len(self)))
        columns = tuple([] for _ in self._keys)
        for j in range(n):
            if mode is dict:
                args = {k: col[j] for k, col in zip(keys, data)}
            elif mode is tuple:
                args = tuple(col[j] for col in data)
            else:
                args = data[0][j]
            for col, value in zip(columns, self._check(_call(self._func, mode, args))):
                col.append(value)
        return _utils.take_columns(columns, key_indices)


class TransformBatch(_TransformBase):
    """Columns computed by one call ``transform_batch(*columns)`` per request."""

    _who = 'TabularDataset.transform_batch'

    def get_examples(self, indices, key_indices):
        data, mode, keys = self._base_rows(indices)
        n = len(_utils.as_range(indices, len(self)))
        if mode is dict:
            args = dict(zip(keys, data))
        elif mode is tuple:
            args = tuple(data)
        else:
            args = data[0]
        columns = self._check(_call(self._func, mode, args))
        for key, col in zip(self._keys, columns):
            if len(col) != n:
                raise ValueError('{}: column {!r} has {} rows, expected {} (a batch '
                                 'transform must keep the length)'.format(
                                     self._who, key, len(col), n))
        return _utils.take_columns(columns, key_indices)
