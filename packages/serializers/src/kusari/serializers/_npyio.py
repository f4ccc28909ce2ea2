"""Reading and writing ``.npy`` members of NPZ (zip) archives without pickle.

* Headers are parsed with :mod:`numpy.lib.format` (a literal, never code).
* Object arrays are refused, except the one object array Chainer itself writes:
  ``numpy.asarray(None)``, its encoding of a ``None`` value.  Chainer saves it with
  :func:`numpy.savez`, which pickles it; here its pickle payload is *recognized* by
  walking the opcodes with :func:`pickletools.genops` (which parses and never
  executes) against the exact structure of a pickled 0-d object array holding
  ``None``.  Nothing is ever unpickled.
* Array data is streamed in bounded chunks, straight into the destination array
  when possible, so loading a large array needs no second full copy in memory.
"""
import math
import pickletools
import zipfile

import numpy
from numpy.lib import format as npy_format

from kusari.serializers import _errors

# Bytes per read/copy chunk while streaming array data.
CHUNK_BYTES = 1 << 22
_MAX_HEADER_SIZE = 1 << 16
_MAX_NONE_PAYLOAD = 1 << 12

# The pickle payload NumPy 1.x (as used by Chainer 7) writes for
# ``numpy.asarray(None)``: protocol 3, reconstructed by
# ``numpy.core.multiarray._reconstruct``.  NumPy 2 still loads it (``numpy.core``
# is kept for old pickles), so files with ``None`` entries interchange both ways.
NONE_PICKLE = (
    b'\x80\x03cnumpy.core.multiarray\n_reconstruct\nq\x00cnumpy\nndarray\nq\x01'
    b'K\x00\x85q\x02C\x01bq\x03\x87q\x04Rq\x05(K\x01)cnumpy\ndtype\nq\x06'
    b'X\x02\x00\x00\x00O8q\x07\x89\x88\x87q\x08Rq\t(K\x03X\x01\x00\x00\x00|q\n'
    b'NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK?tq\x0bb\x89]q\x0cNatq\rb.')


def _none_npy_bytes():
    header = {'descr': '|O', 'fortran_order': False, 'shape': ()}
    import io
    buf = io.BytesIO()
    npy_format.write_array_header_1_0(buf, header)
    return buf.getvalue() + NONE_PICKLE


#: The complete ``.npy`` member Chainer writes for a ``None`` value.
NONE_NPY = _none_npy_bytes()


# -- recognizing the pickle of numpy.asarray(None) -----------------------------------

_GLOBALS = {
    ('numpy.core.multiarray', '_reconstruct'): 'reconstruct',
    ('numpy._core.multiarray', '_reconstruct'): 'reconstruct',
    ('numpy', 'ndarray'): 'ndarray',
    ('numpy', 'dtype'): 'dtype',
}

_IGNORED_OPS = frozenset(['PROTO', 'FRAME'])
_PUT_OPS = frozenset(['PUT', 'BINPUT', 'LONG_BINPUT'])
_GET_OPS = frozenset(['GET', 'BINGET', 'LONG_BINGET'])
_STR_OPS = frozenset(['SHORT_BINUNICODE', 'BINUNICODE', 'BINUNICODE8', 'UNICODE'])
_BYTES_OPS = frozenset(['SHORT_BINBYTES', 'BINBYTES', 'BINBYTES8'])
_INT_OPS = frozenset(['BININT', 'BININT1', 'BININT2', 'LONG1', 'INT', 'LONG'])


class _Global:
    __slots__ = ('name',)

    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, _Global) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


class _Call:
    __slots__ = ('func', 'args')

    def __init__(self, func, args):
        self.func = func
        self.args = args


class _Build:
    __slots__ = ('obj', 'state')

    def __init__(self, obj, state):
        self.obj = obj
        self.state = state


def _symbolic_unpickle(payload):
    """Evaluate a pickle symbolically over a tiny whitelisted opcode subset.

    Returns a tree of tuples, lists, scalars, :class:`_Global`, :class:`_Call` and
    :class:`_Build` (nothing is imported or called), or raises ValueError.
    """
    stack = []
    metastack = []
    memo = {}
    for op, arg, _ in pickletools.genops(payload):
        name = op.name
        if name in _IGNORED_OPS:
            continue
        if name == 'MEMOIZE':
            memo[len(memo)] = stack[-1]
        elif name in _PUT_OPS:
            memo[arg] = stack[-1]
        elif name in _GET_OPS:
            stack.append(memo[arg])
        elif name == 'GLOBAL' or name == 'STACK_GLOBAL':
            if name == 'GLOBAL':
                module, _, attr = arg.partition(' ')
            else:
                attr = stack.pop()
                module = stack.pop()
            key = (module, attr)
            if key not in _GLOBALS:
                raise ValueError('global {}.{} is not allowed'.format(module, attr))
            stack.append(_Global(_GLOBALS[key]))
        elif name in _STR_OPS or name in _BYTES_OPS or name in _INT_OPS:
            stack.append(arg)
        elif name == 'NONE':
            stack.append(None)
        elif name == 'NEWTRUE':
            stack.append(True)
        elif name == 'NEWFALSE':
            stack.append(False)
        elif name == 'MARK':
            metastack.append(stack)
            stack = []
        elif name == 'TUPLE':
            items = tuple(stack)
            stack = metastack.pop()
            stack.append(items)
        elif name == 'EMPTY_TUPLE':
            stack.append(())
        elif name in ('TUPLE1', 'TUPLE2', 'TUPLE3'):
            n = int(name[-1])
            items = tuple(stack[len(stack) - n:])
            del stack[len(stack) - n:]
            stack.append(items)
        elif name == 'EMPTY_LIST':
            stack.append([])
        elif name == 'APPEND':
            item = stack.pop()
            if not isinstance(stack[-1], list):
                raise ValueError('APPEND to a non-list')
            stack[-1].append(item)
        elif name == 'APPENDS':
            items = stack
            stack = metastack.pop()
            if not isinstance(stack[-1], list):
                raise ValueError('APPENDS to a non-list')
            stack[-1].extend(items)
        elif name == 'REDUCE':
            args = stack.pop()
            func = stack.pop()
            if not isinstance(func, _Global) or not isinstance(args, tuple):
                raise ValueError('REDUCE of a non-global')
            stack.append(_Call(func, args))
        elif name == 'BUILD':
            state = stack.pop()
            stack[-1] = _Build(stack[-1], state)
        elif name == 'STOP':
            if len(stack) != 1 or metastack:
                raise ValueError('malformed pickle')
            return stack[0]
        else:
            raise ValueError('opcode {} is not allowed'.format(name))
    raise ValueError('pickle without STOP')


def _is_object_dtype(tree):
    # dtype('O') pickles as dtype('O8', False, True) with a (version, '|', ...) state.
    return (isinstance(tree, _Build) and isinstance(tree.obj, _Call)
            and tree.obj.func == _Global('dtype')
            and len(tree.obj.args) >= 1 and tree.obj.args[0] in ('O8', 'O4')
            and isinstance(tree.state, tuple) and len(tree.state) >= 2
            and tree.state[1] == '|')


def is_none_pickle(payload):
    """Return True iff ``payload`` is the pickle of ``numpy.asarray(None)``.

    The check is static (see the module docstring): any other content, including
    any pickle that would import or call anything else, gives False.
    """
    if len(payload) > _MAX_NONE_PAYLOAD:
        return False
    try:
        tree = _symbolic_unpickle(payload)
    except Exception:  # any malformed or disallowed content
        return False
    if not (isinstance(tree, _Build) and isinstance(tree.obj, _Call)):
        return False
    call = tree.obj
    if call.func != _Global('reconstruct') or len(call.args) != 3:
        return False
    cls, shape0, typecode = call.args
    if cls != _Global('ndarray') or shape0 != (0,) or typecode not in (b'b', 'b'):
        return False
    state = tree.state
    if not (isinstance(state, tuple) and len(state) == 5):
        return False
    version, shape, dtype, fortran, data = state
    return (version == 1 and shape == () and _is_object_dtype(dtype)
            and fortran is False and isinstance(data, list) and len(data) == 1
            and data[0] is None)


# -- reading -------------------------------------------------------------------------


class Entry:
    """What a stored value is: its shape and dtype, or the ``None`` marker.

    Attributes:
        key (str): The key in the archive.
        is_none (bool): The stored value is ``None``.
        shape (tuple of int): Shape of the stored array (``()`` for ``None``).
        dtype (numpy.dtype): Its dtype (``None`` for ``None``).
        fortran (bool): Whether the data is in Fortran order.
        verified (bool): Whether the whole member has been read and checked.

    """

    __slots__ = ('key', 'is_none', 'shape', 'dtype', 'fortran', 'verified',
                 'member', 'cache')

    def __init__(self, key, member, shape, dtype, fortran, is_none=False):
        self.key = key
        self.member = member
        self.shape = shape
        self.dtype = dtype
        self.fortran = fortran
        self.is_none = is_none
        self.verified = False
        self.cache = None

    @property
    def size(self):
        return math.prod(self.shape)

    def describe(self):
        """A short description such as ``float32 array of shape (5, 4)``."""
        if self.is_none:
            return 'None'
        return '{} array of shape {}'.format(self.dtype, self.shape)


def _read_header(f):
    version = npy_format.read_magic(f)
    if version == (1, 0):
        shape, fortran, dtype = npy_format.read_array_header_1_0(
            f, max_header_size=_MAX_HEADER_SIZE)
    elif version == (2, 0):
        shape, fortran, dtype = npy_format.read_array_header_2_0(
            f, max_header_size=_MAX_HEADER_SIZE)
    else:
        read = getattr(npy_format, '_read_array_header', None)
        if read is None:
            raise ValueError('unsupported .npy format version {}'.format(version))
        shape, fortran, dtype = read(f, version, max_header_size=_MAX_HEADER_SIZE)
    return tuple(int(s) for s in shape), bool(fortran), numpy.dtype(dtype)


def read_exact(f, n, what):
    """Read exactly ``n`` bytes from ``f`` (raising ValueError on a short read)."""
    chunks = []
    remaining = n
    while remaining:
        chunk = f.read(remaining)
        if not chunk:
            raise ValueError('{}: data ends {} bytes early'.format(what, remaining))
        chunks.append(chunk)
        remaining -= len(chunk)
    return b''.join(chunks) if len(chunks) != 1 else chunks[0]


def stream_into(f, out, dtype, shape, fortran, what):
    """Copy C-order (or Fortran-order) array data from ``f`` into ``out`` in place.

    The data is read in chunks of at most :data:`CHUNK_BYTES`; when ``out`` is
    contiguous in the stored order and has the stored dtype, the bytes are read
    straight into its memory (no temporary copy at all).
    """
    dst = out.T if fortran else out
    itemsize = dtype.itemsize
    total = math.prod(shape)
    if total == 0 or itemsize == 0:
        return
    if dst.flags.c_contiguous and dst.dtype == dtype:
        view = memoryview(dst.reshape(-1).view(numpy.uint8))
        nbytes = total * itemsize
        pos = 0
        while pos < nbytes:
            n = f.readinto(view[pos:pos + CHUNK_BYTES])
            if not n:
                raise ValueError('{}: data ends {} bytes early'.format(
                    what, nbytes - pos))
            pos += n
        return
    per = max(1, CHUNK_BYTES // itemsize)
    if dst.flags.c_contiguous:
        flat = dst.reshape(-1)
        for start in range(0, total, per):
            n = min(per, total - start)
            buf = read_exact(f, n * itemsize, what)
            numpy.copyto(flat[start:start + n], numpy.frombuffer(buf, dtype),
                         casting='same_kind')
        return
    row_shape = dst.shape[1:]
    row = math.prod(row_shape)
    rows_per = max(1, per // row)
    for start in range(0, dst.shape[0], rows_per):
        k = min(rows_per, dst.shape[0] - start)
        buf = read_exact(f, k * row * itemsize, what)
        numpy.copyto(dst[start:start + k],
                     numpy.frombuffer(buf, dtype).reshape((k,) + row_shape),
                     casting='same_kind')


class ZipNpzReader:
    """Safe, streaming reader of the ``.npy`` members of an NPZ archive.

    Args:
        zf (zipfile.ZipFile): The open archive.
        filename (str): Name of the file, for messages.
        who (str): Name of the calling function, for messages.

    """

    def __init__(self, zf, filename, who):
        self.zf = zf
        self.filename = filename
        self.who = who
        members = {}
        for info in zf.infolist():
            name = info.filename
            if name.endswith('/'):
                continue
            members[name] = info
            if name.endswith('.npy'):
                members[name[:-4]] = info
        self._members = members
        self._entries = {}

    def _error(self, key, msg, cls=_errors.SerializationError):
        return cls('{}: cannot load key {!r} from {}: {}'.format(
            self.who, key, self.filename, msg))

    def keys(self):
        """The keys stored in the archive (member names without ``.npy``)."""
        return [name[:-4] if name.endswith('.npy') else name
                for name in (info.filename for info in self.zf.infolist())
                if not name.endswith('/')]

    def has(self, key):
        """Whether ``key`` is stored."""
        return key in self._members

    def siblings(self, key):
        """The stored keys in the same group as ``key`` (same prefix up to ``/``)."""
        parent = key.rpartition('/')[0]
        prefix = parent + '/' if parent else ''
        return [k for k in self.keys()
                if k.startswith(prefix) and '/' not in k[len(prefix):]]

    def entry(self, key, verify=True):
        """Return the :class:`Entry` of ``key`` (parsing and checking its member).

        With ``verify``, the whole member is read once to check its CRC and length,
        so that a corrupted file is detected before anything is assigned.

        Raises:
            SerializationError: The member is not a valid ``.npy``, is an object
                array (other than ``None``), or is truncated/corrupted.

        """
        entry = self._entries.get(key)
        if entry is None:
            entry = self._parse(key)
            self._entries[key] = entry
        if verify and not entry.verified:
            self._verify(entry)
        return entry

    def _parse(self, key):
        info = self._members[key]
        try:
            with self.zf.open(info) as f:
                shape, fortran, dtype = _read_header(f)
                header_len = f.tell()
                if dtype.hasobject:
                    if shape != () or dtype != numpy.dtype(object):
                        raise self._error(key, (
                            'it is an object array ({} of shape {}), which could '
                            'only be loaded by unpickling; refused').format(
                                dtype, shape), _errors._PickleRefused)
                    payload = f.read(_MAX_NONE_PAYLOAD + 1)
                    if not is_none_pickle(payload):
                        raise self._error(key, (
                            'it is a pickled object, not an array nor the None '
                            'marker; loading it would need unpickling; refused'),
                            _errors._PickleRefused)
                    entry = Entry(key, info, (), None, False, is_none=True)
                    entry.verified = True   # read fully (and CRC-checked) above
                    if f.read(1):
                        raise self._error(key, 'trailing data after the None marker')
                    return entry
        except _errors.SerializationError:
            raise
        except (ValueError, OSError, EOFError, zipfile.BadZipFile,
                NotImplementedError, RuntimeError) as e:
            raise self._error(key, 'not a valid .npy member ({}: {})'.format(
                type(e).__name__, e)) from e
        expected = header_len + math.prod(shape) * dtype.itemsize
        if info.file_size != expected:
            raise self._error(key, (
                'the member holds {} bytes but its header ({} array of shape {}) '
                'needs {}: the file is truncated or corrupted').format(
                    info.file_size, dtype, shape, expected))
        return Entry(key, info, shape, dtype, fortran)

    def _verify(self, entry):
        try:
            with self.zf.open(entry.member) as f:
                while f.read(CHUNK_BYTES):
                    pass
        except (ValueError, OSError, EOFError, zipfile.BadZipFile,
                NotImplementedError, RuntimeError) as e:
            raise self._error(entry.key, 'the file is corrupted ({}: {})'.format(
                type(e).__name__, e)) from e
        entry.verified = True

    def _open_data(self, entry):
        f = self.zf.open(entry.member)
        _read_header(f)
        return f

    def read_into(self, entry, out):
        """Copy the data of ``entry`` into the NumPy array ``out`` in place."""
        try:
            with self._open_data(entry) as f:
                stream_into(f, out, entry.dtype, entry.shape, entry.fortran,
                            'key {!r}'.format(entry.key))
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as e:
            raise self._error(entry.key, 'read failed ({}: {})'.format(
                type(e).__name__, e)) from e

    def read(self, entry):
        """Return the data of ``entry`` as a new NumPy array (``None`` for None)."""
        if entry.is_none:
            return None
        dtype = entry.dtype
        if dtype.byteorder not in ('=', '|'):
            dtype = dtype.newbyteorder('=')
        out = numpy.empty(entry.shape, dtype=dtype,
                          order='F' if entry.fortran else 'C')
        self.read_into(entry, out)
        return out


# -- writing -------------------------------------------------------------------------


def write_member(zf, key, array):
    """Write one array (or ``None``) as the member ``key + '.npy'`` of ``zf``.

    The data is streamed (:func:`numpy.lib.format.write_array` writes in bounded
    chunks); object arrays are refused (they would need pickle).
    """
    with zf.open(key + '.npy', 'w', force_zip64=True) as f:
        if array is None:
            f.write(NONE_NPY)
        else:
            npy_format.write_array(f, array, allow_pickle=False)
