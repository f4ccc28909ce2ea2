"""Serialization in NumPy's NPZ format (``chainer.serializers.npz``).

Files are interchangeable with Chainer 7's :func:`save_npz`/:func:`load_npz`: one
``.npy`` member per value, named by its path in the object hierarchy (``l1/W``,
``bn/avg_mean``, ``bn/N``, ``t``, ``l1/W/m``, ...); Python scalars are stored as 0-d
arrays (``int`` as ``int64``) and ``None`` as ``numpy.asarray(None)``.

Compared to Chainer:

* loading never unpickles: object arrays are refused (the ``None`` marker is
  recognized statically, see :mod:`kusari.serializers._npyio`);
* :func:`load_npz` is all-or-nothing (a missing key, a shape or dtype mismatch or a
  corrupted file raises before anything is modified);
* :func:`save_npz` to a path is atomic (a crash never destroys the previous file);
* arrays are streamed one by one, never gathered into a second copy in memory.
"""
import collections
import collections.abc
import zipfile

import numpy

from kusari import serializer
from kusari.initializers import _util as array_util
from kusari.serializers import _atomic
from kusari.serializers import _base
from kusari.serializers import _errors
from kusari.serializers import _npyio
from kusari.serializers import _util


class DictionarySerializer(serializer.Serializer):
    """Serializer into a flat dictionary of host arrays.

    The hierarchy of objects is mapped to a flat dictionary whose keys are the paths
    of the values (``'l1/W'``, ``'bn/N'``, ...).  Arrays are stored as NumPy arrays
    (GPU arrays are copied to the host), scalars as 0-d arrays and ``None`` as
    ``numpy.asarray(None)``, exactly as in Chainer.

    .. note::
       Despite its name, this serializer does not write files: the resulting
       dictionary (:attr:`target`) can be given to :func:`save_npz` (or to
       :func:`numpy.savez`).

    Args:
        target (dict): The dictionary to fill; a new one if ``None``.
        path (str): The base path in the hierarchy (with a trailing ``/``).

    Attributes:
        target (dict): The dictionary of saved values.
        path (str): The base path.

    >>> import numpy, kusari
    >>> from kusari.serializers import DictionarySerializer
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.W = kusari.Parameter(numpy.ones((2, 3), numpy.float32))
    >>> link.add_persistent('N', 3)
    >>> s = DictionarySerializer()
    >>> s.save(link)
    >>> sorted(s.target), s.target['N']
    (['N', 'W'], array(3))
    """

    def __init__(self, target=None, path=''):
        self.target = {} if target is None else target
        self.path = path

    def __getitem__(self, key):
        """Return the child serializer for the sub-object ``key``."""
        key = key.strip('/')
        return DictionarySerializer(self.target, self.path + key + '/')

    def __call__(self, key, value):
        """Store ``value`` as a host array under ``path + key`` and return ``value``."""
        key = key.lstrip('/')
        if value is None:
            stored = numpy.asarray(None)
        elif array_util.is_cupy_array(value):
            stored = value.get()
        else:
            stored = numpy.asarray(value)
        self.target[self.path + key] = stored
        return value


class _RecordingSerializer(DictionarySerializer):
    # Records (key, value) references in order; save_npz converts and writes them
    # one at a time, so no second copy of the model is ever held.  A
    # DictionarySerializer subclass because Chainer's save_npz hands one to
    # ``obj.serialize`` and code checks that.

    def __init__(self, items=None, path=''):
        self.items = collections.OrderedDict() if items is None else items
        self.target = self.items
        self.path = path

    def __getitem__(self, key):
        return _RecordingSerializer(self.items, self.path + key.strip('/') + '/')

    def __call__(self, key, value):
        self.items[self.path + key.lstrip('/')] = value
        return value


def serialize(obj):
    """Serialize an object to a flat dictionary (see :class:`DictionarySerializer`).

    Args:
        obj: An object with a ``serialize(serializer)`` method.

    Returns:
        dict: The saved values by key.

    """
    s = DictionarySerializer()
    s.save(obj)
    return s.target


def _collect(obj, who):
    if isinstance(obj, dict):
        items = list(obj.items())
    else:
        s = _RecordingSerializer()
        s.save(obj)
        items = list(s.items.items())
    for key, value in items:
        if not isinstance(key, str):
            raise TypeError('{}: keys must be strings, but got {!r}'.format(who, key))
        # Refuse object arrays up front, before a byte is written.
        if value is not None and not array_util.is_cupy_array(value):
            _base.to_host(value, key, who)
    return items


def _write_npz(f, items, compression, who):
    mode = zipfile.ZIP_DEFLATED if compression else zipfile.ZIP_STORED
    with zipfile.ZipFile(f, mode='w', compression=mode, allowZip64=True) as zf:
        for key, value in items:
            _npyio.write_member(zf, key, _base.to_host(value, key, who))


def save_npz(file, obj, compression=True):
    """Save an object to a file in NPZ format.

    Every value the object's ``serialize`` method saves becomes one ``.npy`` member
    of the zip archive, named by its path (``l1/W.npy``, ...); GPU arrays are saved
    as host arrays, one at a time.  Writing to a path is atomic: the archive is
    written to a temporary file in the same directory, flushed, ``fsync``-ed and
    renamed over ``file``, so an error, a crash or a kill while saving leaves the
    previous file intact.

    Args:
        file (str, os.PathLike or file-like): Target path, or a binary file object
            open for writing (written in place, not atomically).
        obj: Object to be serialized (with a ``serialize(serializer)`` method).  A
            ``dict`` of arrays is saved as it is.
        compression (bool): If ``True``, the members are deflate-compressed.

    Raises:
        SerializationError: A value is an object array (it would need pickle).

    .. seealso:: :func:`load_npz`

    >>> import io, numpy, kusari
    >>> from kusari.serializers import save_npz, load_npz
    >>> link = kusari.Link()
    >>> with link.init_scope():
    ...     link.W = kusari.Parameter(numpy.arange(3, dtype=numpy.float32))
    >>> buf = io.BytesIO()
    >>> save_npz(buf, link)
    >>> sorted(numpy.load(io.BytesIO(buf.getvalue())).files)
    ['W']
    """
    who = 'save_npz'
    items = _collect(obj, who)
    if _atomic.is_path(file):
        with _atomic.atomic_open(file) as f:
            _write_npz(f, items, compression, who)
    else:
        _write_npz(file, items, compression, who)


class _MappingReader:
    # Source over an in-memory mapping of arrays (a dict from DictionarySerializer,
    # or any mapping); the same entry interface as _npyio.ZipNpzReader.

    def __init__(self, mapping, filename, who):
        self.mapping = mapping
        self.filename = filename
        self.who = who
        self._entries = {}

    def has(self, key):
        return key in self.mapping

    def siblings(self, key):
        parent = key.rpartition('/')[0]
        prefix = parent + '/' if parent else ''
        return [k for k in self.mapping if isinstance(k, str) and
                k.startswith(prefix) and '/' not in k[len(prefix):]]

    def entry(self, key, verify=True):
        entry = self._entries.get(key)
        if entry is not None:
            return entry
        value = self.mapping[key]
        if array_util.is_cupy_array(value):
            value = value.get()
        array = numpy.asarray(value)
        if array.dtype.hasobject:
            if array.shape == () and array[()] is None:
                entry = _npyio.Entry(key, None, (), None, False, is_none=True)
            else:
                raise _errors.SerializationError(
                    '{}: cannot load key {!r} from {}: it is an object array ({} of '
                    'shape {}); refused'.format(
                        self.who, key, self.filename, array.dtype, array.shape))
        else:
            entry = _npyio.Entry(key, array, array.shape, array.dtype, False)
        entry.verified = True
        self._entries[key] = entry
        return entry

    def read_into(self, entry, out):
        numpy.copyto(out, entry.member, casting='same_kind')

    def read(self, entry):
        return None if entry.is_none else numpy.array(entry.member)


def _make_source(npz, who):
    if isinstance(npz, (_npyio.ZipNpzReader, _MappingReader)):
        return npz
    zf = npz if isinstance(npz, zipfile.ZipFile) else getattr(npz, 'zip', None)
    if isinstance(zf, zipfile.ZipFile):
        name = getattr(zf, 'filename', None)
        return _npyio.ZipNpzReader(
            zf, repr(name) if name else '<npz archive>', who)
    if isinstance(npz, collections.abc.Mapping):
        return _MappingReader(npz, '<{} object>'.format(type(npz).__name__), who)
    raise TypeError(
        '{}: npz must be an NpzFile (numpy.load), a zipfile.ZipFile or a mapping of '
        'arrays, but got {}'.format(who, type(npz).__name__))


class NpzDeserializer(_base.TwoPassDeserializer):
    """Deserializer for NPZ format (reads what :func:`save_npz` and Chainer write).

    The archive is read with kusari's own safe reader: object arrays (which NumPy
    would unpickle) are refused, except Chainer's ``None`` marker, recognized
    without unpickling.  :meth:`load` is all-or-nothing (see
    :func:`load_npz`); calling the deserializer directly loads one value at a time.

    Args:
        npz: The archive: an ``NpzFile`` from :func:`numpy.load` (its zip archive is
            read directly, never through NumPy's unpickling), a
            :class:`zipfile.ZipFile`, or a mapping from keys to arrays (such as
            ``DictionarySerializer().target``).
        path (str): The base path that deserialization starts from (e.g.
            ``'updater/model:main/'``).
        strict (bool): If ``True``, a value the object asks for that is not in the
            file raises :class:`~kusari.serializers.MissingKeyError` (a
            :class:`KeyError`); otherwise it is skipped and left as it is.
        ignore_names (str, callable or list of them): Keys (full paths) to skip: a
            string matches one key exactly, a callable gets the key and returns
            ``True`` to skip it.

    Attributes:
        npz: The archive given.
        path (str): The base path.
        strict (bool): Strictness.
        ignore_names: The names to skip.

    >>> import io, numpy, kusari
    >>> from kusari.serializers import NpzDeserializer, save_npz
    >>> src = kusari.Link()
    >>> with src.init_scope():
    ...     src.W = kusari.Parameter(numpy.full((2,), 7, numpy.float32))
    >>> buf = io.BytesIO()
    >>> save_npz(buf, src)
    >>> dst = kusari.Link()
    >>> with dst.init_scope():
    ...     dst.W = kusari.Parameter(numpy.zeros((2,), numpy.float32))
    >>> with numpy.load(io.BytesIO(buf.getvalue())) as f:
    ...     NpzDeserializer(f).load(dst)
    >>> dst.W.array
    array([7., 7.], dtype=float32)
    """

    def __init__(self, npz, path='', strict=True, ignore_names=None):
        who = 'NpzDeserializer'
        self.npz = npz
        self.path = path
        self.strict = strict
        self.ignore_names = ignore_names
        self._ignore = _base.check_ignore_names(ignore_names, who)
        source = _make_source(npz, who)
        self._state = _base._LoadState(source, source.filename, who)

    def __getitem__(self, key):
        """Return the child deserializer for the sub-object ``key``."""
        child = NpzDeserializer.__new__(NpzDeserializer)
        child.npz = self.npz
        child.path = self.path + key.strip('/') + '/'
        child.strict = self.strict
        child.ignore_names = self.ignore_names
        child._ignore = self._ignore
        child._state = self._state
        return child


def _open_zip(file, who):
    filename = _util.display_name(file)
    try:
        zf = zipfile.ZipFile(file, 'r')
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError,
            EOFError) as e:
        raise _errors.SerializationError(
            '{}: {} is not an NPZ file, or it is truncated or corrupted '
            '({}: {})'.format(who, filename, type(e).__name__, e)) from e
    return zf, filename


def load_npz(file, obj, path='', strict=True, ignore_names=None):
    """Load an object from a file in NPZ format, all or nothing.

    Runs ``obj.serialize`` first as a dry run that only records which values it
    needs, checks every one of them (present in the file with ``strict=True``,
    member intact, shape equal to the target array's and dtype castable with
    ``casting='same_kind'``; an uninitialized parameter takes any shape), and only
    then loads them, copying into the existing arrays in place (GPU arrays get the
    data on their own device).  On any problem an error naming the file, the key
    and the expected vs. found value is raised and ``obj`` is left unmodified.

    Never unpickles: an object array in the file is refused (except Chainer's
    encoding of ``None``, recognized without unpickling).

    Args:
        file (str, os.PathLike or file-like): The file to read.
        obj: Object to be deserialized (with a ``serialize(serializer)`` method).
        path (str): The path in the hierarchy of the saved data under which the
            data is loaded (e.g. ``'updater/model:main/'``); ``''`` loads from
            the root.
        strict (bool): If ``True``, a value missing from the file is an error;
            otherwise it is skipped.
        ignore_names (str, callable or list of them): Keys to skip (see
            :class:`NpzDeserializer`).

    Raises:
        MissingKeyError: A needed key is not in the file (a :class:`KeyError`).
        IncompatibleValueError: A stored value does not fit its target (shape,
            dtype or type).
        SerializationError: The file is not an NPZ archive, is truncated or
            corrupted, or holds an object array.

    .. seealso:: :func:`save_npz`

    >>> import io, numpy, kusari
    >>> from kusari.serializers import save_npz, load_npz
    >>> src = kusari.Link()
    >>> with src.init_scope():
    ...     src.W = kusari.Parameter(numpy.arange(4, dtype=numpy.float32))
    >>> buf = io.BytesIO()
    >>> save_npz(buf, src)
    >>> dst = kusari.Link()
    >>> with dst.init_scope():
    ...     dst.W = kusari.Parameter()        # uninitialized: takes the saved shape
    >>> load_npz(io.BytesIO(buf.getvalue()), dst)
    >>> dst.W.array
    array([0., 1., 2., 3.], dtype=float32)
    """
    who = 'load_npz'
    ignore = _base.check_ignore_names(ignore_names, who)
    zf, filename = _open_zip(file, who)
    with zf:
        reader = _npyio.ZipNpzReader(zf, filename, who)
        d = NpzDeserializer.__new__(NpzDeserializer)
        d.npz = reader
        d.path = path
        d.strict = strict
        d.ignore_names = ignore_names
        d._ignore = ignore
        d._state = _base._LoadState(reader, filename, who)
        d.load(obj)
