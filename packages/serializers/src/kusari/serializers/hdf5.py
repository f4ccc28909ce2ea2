"""Serialization in HDF5 format (``chainer.serializers.hdf5``); needs ``h5py``.

The hierarchy of objects maps to HDF5 groups (``/l1/W``, ``/bn/N``, ...); arrays of
more than one element are gzip-compressed, scalars are 0-d datasets and ``None`` is
an empty dataset (``h5py.Empty('f')``), as in Chainer 7, so files interchange both
ways.  As with NPZ, :func:`load_hdf5` is all-or-nothing and :func:`save_hdf5` to a
path is atomic.  ``h5py`` is imported on first use only.
"""
import math

import numpy

from kusari import serializer
from kusari.serializers import _atomic
from kusari.serializers import _base
from kusari.serializers import _errors
from kusari.serializers import _npyio
from kusari.serializers import _util


def _h5py(who):
    try:
        import h5py
    except ImportError as e:
        raise RuntimeError(
            '{}: h5py is not installed; install it to use the HDF5 serializers:\n'
            '  $ pip install h5py   (the extra kusari-serializers[hdf5] pulls it in)'
            .format(who)) from e
    return h5py


def _require_empty(h5py, key):
    # None is stored as h5py.Empty, which h5py < 2.7 lacks (Chainer's RuntimeError).
    if tuple(h5py.version.version_tuple[:2]) < (2, 7):
        raise RuntimeError(
            'HDF5Serializer: cannot save None under {!r}: h5py {} has no h5py.Empty '
            '(h5py >= 2.7 is needed)'.format(key, h5py.version.version))

def __getattr__(name):
    # Chainer's module has ``_available`` (h5py importable), which code and
    # Chainer's tests consult; computed on access without importing h5py.
    if name == '_available':
        import importlib.util
        return importlib.util.find_spec('h5py') is not None
    raise AttributeError('module {!r} has no attribute {!r}'.format(__name__, name))


class HDF5Serializer(serializer.Serializer):
    """Serializer for HDF5 format: the hierarchy maps to HDF5 groups.

    Arrays (GPU arrays are copied to the host) become datasets, gzip-compressed
    when they have more than one element; scalars become 0-d datasets and ``None``
    an empty dataset (``h5py.Empty('f')``).

    Args:
        group (h5py.Group): The group that this serializer represents.
        compression (int): Gzip compression level (0-9).

    Attributes:
        group (h5py.Group): The group.
        compression (int): The compression level.

    >>> import os, tempfile, numpy, h5py, kusari
    >>> from kusari.serializers import HDF5Serializer
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.W = kusari.Parameter(numpy.ones((2, 2), numpy.float32))
    >>> path = os.path.join(tempfile.mkdtemp(), 'model.h5')
    >>> with h5py.File(path, 'w') as f:
    ...     HDF5Serializer(f['/'].require_group('model')).save(link)
    >>> with h5py.File(path, 'r') as f:
    ...     f['model/W'].shape
    (2, 2)
    """

    def __init__(self, group, compression=4):
        _h5py('HDF5Serializer')
        self.group = group
        self.compression = compression

    def __getitem__(self, key):
        """Return the serializer of the child group ``key`` (created if needed)."""
        return HDF5Serializer(self.group.require_group(key.strip('/')),
                              self.compression)

    def __call__(self, key, value):
        """Write ``value`` as the dataset ``key`` of the group and return ``value``."""
        h5py = _h5py('HDF5Serializer')
        if value is None:
            _require_empty(h5py, key)
            data = h5py.Empty('f')
            compression = None
        else:
            data = _base.to_host(value, key, 'HDF5Serializer')
            if data is None:
                data = h5py.Empty('f')
                compression = None
            else:
                compression = None if data.size <= 1 else self.compression
        self.group.create_dataset(key.lstrip('/'), data=data, compression=compression)
        return value


def _write_dict(f, obj, compression, who):
    h5py = _h5py(who)
    for key, value in obj.items():
        data = _base.to_host(value, key, who)
        if data is None:
            f.create_dataset('/' + key.lstrip('/'), data=h5py.Empty('f'))
            continue
        level = None if data.size <= 1 else compression
        f.create_dataset('/' + key.lstrip('/'), data=data, compression=level)


def save_hdf5(filename, obj, compression=4):
    """Save an object to a file in HDF5 format.

    Writing to a path is atomic: the file is written under a temporary name in the
    same directory, ``fsync``-ed and renamed over ``filename``, so an error, a crash
    or a kill while saving leaves the previous file intact.

    Args:
        filename (str, os.PathLike or file-like): Target path, or a binary file
            object (written in place, not atomically).
        obj: Object to be serialized (with a ``serialize(serializer)`` method).  A
            ``dict`` of arrays is saved as it is.
        compression (int): Gzip compression level (0-9) of arrays of more than one
            element.

    .. seealso:: :func:`load_hdf5`

    >>> import os, tempfile, numpy, kusari
    >>> from kusari.serializers import save_hdf5, load_hdf5
    >>> src = kusari.Link()
    >>> with src.init_scope():
    ...     src.W = kusari.Parameter(numpy.arange(3, dtype=numpy.float32))
    >>> path = os.path.join(tempfile.mkdtemp(), 'model.h5')
    >>> save_hdf5(path, src)
    >>> dst = kusari.Link()
    >>> with dst.init_scope():
    ...     dst.W = kusari.Parameter(numpy.zeros(3, numpy.float32))
    >>> load_hdf5(path, dst)
    >>> dst.W.array
    array([0., 1., 2.], dtype=float32)
    """
    who = 'save_hdf5'
    h5py = _h5py(who)

    def write(target):
        with h5py.File(target, 'w') as f:
            if isinstance(obj, dict):
                _write_dict(f, obj, compression, who)
            else:
                HDF5Serializer(f, compression=compression).save(obj)

    if _atomic.is_path(filename):
        with _atomic.atomic_path(filename) as tmp:
            write(tmp)
    else:
        write(filename)


_H5_ERRORS = (OSError, RuntimeError, ValueError, KeyError, TypeError)


class _HDF5Reader:
    # The source interface of _base.TwoPassDeserializer over an h5py group.

    def __init__(self, group, filename, who):
        self.group = group
        self.filename = filename
        self.who = who
        self._entries = {}

    def _error(self, key, msg):
        return _errors.SerializationError(
            '{}: cannot load key {!r} from {}: {}'.format(
                self.who, key, self.filename, msg))

    def has(self, key):
        try:
            return key in self.group
        except _H5_ERRORS:
            return False

    def siblings(self, key):
        h5py = _h5py(self.who)
        parent = key.rpartition('/')[0]
        try:
            group = self.group[parent] if parent else self.group
            names = [name for name, item in group.items()
                     if isinstance(item, h5py.Dataset)]
        except _H5_ERRORS as e:
            raise self._error(key, 'the file is corrupted ({}: {})'.format(
                type(e).__name__, e)) from e
        prefix = parent + '/' if parent else ''
        return [prefix + name for name in names]

    def entry(self, key, verify=True):
        entry = self._entries.get(key)
        if entry is None:
            entry = self._parse(key)
            self._entries[key] = entry
        if verify and not entry.verified:
            self._verify(entry)
        return entry

    def _parse(self, key):
        h5py = _h5py(self.who)
        try:
            ds = self.group[key]
        except _H5_ERRORS as e:
            raise self._error(key, 'the file is corrupted ({}: {})'.format(
                type(e).__name__, e)) from e
        if not isinstance(ds, h5py.Dataset):
            raise self._error(key, 'it is a {}, not a dataset'.format(
                type(ds).__name__))
        if ds.shape is None:
            entry = _npyio.Entry(key, ds, (), None, False, is_none=True)
            entry.verified = True
            return entry
        dtype = ds.dtype
        if dtype.hasobject or dtype.kind in 'OV' and dtype.fields is None:
            raise self._error(key, 'unsupported dataset type {}'.format(dtype))
        return _npyio.Entry(key, ds, tuple(int(s) for s in ds.shape), dtype, False)

    def _blocks(self, shape, itemsize):
        # Slices along the first axis reading at most CHUNK_BYTES at a time.
        if len(shape) == 0:
            yield ()
            return
        row = math.prod(shape[1:]) * max(itemsize, 1)
        per = max(1, _npyio.CHUNK_BYTES // max(row, 1))
        for start in range(0, shape[0], per):
            yield slice(start, min(start + per, shape[0]))

    def _verify(self, entry):
        ds = entry.member
        try:
            if entry.size:
                for index in self._blocks(entry.shape, entry.dtype.itemsize):
                    ds[index]
        except _H5_ERRORS as e:
            raise self._error(entry.key, 'the file is corrupted ({}: {})'.format(
                type(e).__name__, e)) from e
        entry.verified = True

    def read_into(self, entry, out):
        ds = entry.member
        if entry.size == 0:
            return
        try:
            if out.flags.c_contiguous and out.dtype == entry.dtype:
                ds.read_direct(out)
                return
            for index in self._blocks(entry.shape, entry.dtype.itemsize):
                numpy.copyto(out[index], ds[index], casting='same_kind')
        except _H5_ERRORS as e:
            raise self._error(entry.key, 'read failed ({}: {})'.format(
                type(e).__name__, e)) from e

    def read(self, entry):
        if entry.is_none:
            return None
        dtype = entry.dtype
        if dtype.byteorder not in ('=', '|'):
            dtype = dtype.newbyteorder('=')
        out = numpy.empty(entry.shape, dtype=dtype)
        self.read_into(entry, out)
        return out


class HDF5Deserializer(_base.TwoPassDeserializer):
    """Deserializer for HDF5 format (reads what :func:`save_hdf5` and Chainer write).

    :meth:`load` is all-or-nothing (see :func:`load_hdf5`); calling the
    deserializer directly loads one value at a time.

    Args:
        group (h5py.Group): The group that deserialization starts from.
        strict (bool): If ``True``, a value the object asks for that is missing
            (dataset or whole group) raises
            :class:`~kusari.serializers.MissingKeyError` (a :class:`KeyError` and a
            :class:`ValueError`); otherwise it is skipped.
        path (str): Keyword only: a base path inside ``group`` (e.g.
            ``'updater/model:main/'``); kusari extension.

    Attributes:
        group (h5py.Group): The group of this deserializer, ``None`` if it does
            not exist in the file.
        strict (bool): Strictness.
        path (str): The base path relative to the root group given.

    >>> import os, tempfile, numpy, h5py, kusari
    >>> from kusari.serializers import HDF5Deserializer, save_hdf5
    >>> src = kusari.Link()
    >>> src.add_persistent('N', 5)
    >>> path = os.path.join(tempfile.mkdtemp(), 'model.h5')
    >>> save_hdf5(path, src)
    >>> dst = kusari.Link()
    >>> dst.add_persistent('N', 0)
    >>> with h5py.File(path, 'r') as f:
    ...     HDF5Deserializer(f).load(dst)
    >>> dst.N
    5
    """

    def __init__(self, group, strict=True, *, path=''):
        who = 'HDF5Deserializer'
        _h5py(who)
        self._root = group
        self.strict = strict
        self.path = path
        self._ignore = ()
        filename = _group_filename(group)
        self._state = _base._LoadState(_HDF5Reader(group, filename, who),
                                       filename, who)

    @property
    def group(self):
        """The h5py group of this deserializer's path (``None`` if absent)."""
        if not self.path:
            return self._root
        return self._root.get(self.path.rstrip('/'))

    def __getitem__(self, key):
        """Return the child deserializer for the sub-object (group) ``key``."""
        child = HDF5Deserializer.__new__(HDF5Deserializer)
        child._root = self._root
        child.strict = self.strict
        child.path = self.path + key.strip('/') + '/'
        child._ignore = ()
        child._state = self._state
        return child


def _group_filename(group):
    try:
        return repr(group.file.filename)
    except Exception:
        return '<HDF5 group>'


def load_hdf5(filename, obj, path=''):
    """Load an object from a file in HDF5 format, all or nothing.

    As :func:`load_npz`: a dry run collects the values the object needs, every one
    is checked (present, readable, shape and dtype compatible), and only then the
    data is copied into the target arrays in place.  On any problem an error naming
    the file and the key is raised and ``obj`` is left unmodified.

    Args:
        filename (str, os.PathLike or file-like): The file to read.
        obj: Object to be deserialized (with a ``serialize(serializer)`` method).
        path (str): The path in the file under which the data is loaded
            (kusari extension; ``''`` is the root).

    Raises:
        MissingKeyError: A needed key is not in the file.
        IncompatibleValueError: A stored value does not fit its target.
        SerializationError: The file is not HDF5, or is truncated or corrupted.

    .. seealso:: :func:`save_hdf5`

    >>> import os, tempfile, numpy, kusari
    >>> from kusari.serializers import save_hdf5, load_hdf5
    >>> src = kusari.Link()
    >>> with src.init_scope():
    ...     src.b = kusari.Parameter(numpy.full(2, 3, numpy.float32))
    >>> path = os.path.join(tempfile.mkdtemp(), 'model.h5')
    >>> save_hdf5(path, src)
    >>> dst = kusari.Link()
    >>> with dst.init_scope():
    ...     dst.b = kusari.Parameter()
    >>> load_hdf5(path, dst)
    >>> dst.b.array
    array([3., 3.], dtype=float32)
    """
    who = 'load_hdf5'
    h5py = _h5py(who)
    name = _util.display_name(filename)
    try:
        f = h5py.File(filename, 'r')
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except (OSError, ValueError) as e:
        raise _errors.SerializationError(
            '{}: {} is not an HDF5 file, or it is truncated or corrupted '
            '({}: {})'.format(who, name, type(e).__name__, e)) from e
    with f:
        d = HDF5Deserializer.__new__(HDF5Deserializer)
        d._root = f
        d.strict = True
        d.path = path
        d._ignore = ()
        d._state = _base._LoadState(_HDF5Reader(f, name, who), name, who)
        d.load(obj)
