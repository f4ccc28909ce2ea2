"""The all-or-nothing loading protocol shared by the NPZ and HDF5 deserializers.

``obj.serialize(deserializer)`` both asks for values and assigns them, so a failure
half-way (a missing key, a shape mismatch, a corrupted member) would leave the
object half-loaded.  :meth:`TwoPassDeserializer.load` therefore runs it twice:

1. a *dry run*: every ``deserializer(key, value)`` call is recorded and returns
   ``value`` unchanged (``None`` for ``None``), so the object is not modified;
   a key the object needs but the file lacks raises :class:`MissingKeyError` right
   there, exactly as in a real load, so objects that catch it (the update rule of a
   disabled parameter) behave as they would;
2. validation: every recorded key is read through once (CRC, length), and its
   shape/dtype is checked against the target value (an uninitialized parameter,
   i.e. a ``None`` value, accepts any shape); all problems are reported together;
3. only then the real pass, which copies the data into the target arrays in place.

A key first asked for in the real pass (an object that asks for more keys once a
``None`` request returned data, like an update rule's second state entry) is
checked on its own before it is assigned; the dry run also reads through the
sibling keys of every such ``None`` request, so a corrupted file is still caught
up front.
"""
import numbers

import numpy

from kusari import optimizer as optimizer_module
from kusari import serializer as serializer_module
from kusari.initializers import _util as array_util
from kusari.serializers import _errors


def _is_number(value):
    return isinstance(value, (numbers.Number, numpy.generic)) and \
        not isinstance(value, (str, bytes))


def check_ignore_names(ignore_names, who):
    """Normalize ``ignore_names`` (a string, a callable, or a list/tuple of them)."""
    if ignore_names is None:
        return ()
    names = ignore_names if isinstance(ignore_names, (tuple, list)) \
        else (ignore_names,)
    for name in names:
        if not (isinstance(name, str) or callable(name)):
            raise ValueError(
                '{}: ignore_names needs to be a callable, string or list of them, '
                'but got {!r}'.format(who, name))
    return tuple(names)


class _LoadState:
    """State shared by a deserializer and all its children."""

    def __init__(self, source, filename, who):
        self.source = source
        self.filename = filename
        self.who = who
        self.mode = 'direct'     # 'direct', 'dry' or 'apply'
        self.records = []        # (key, value) asked for in the dry run
        self.none_requests = []  # keys asked for with value None in the dry run
        self.checked = {}        # key -> Entry validated for the current load


class TwoPassDeserializer(serializer_module.Deserializer):
    """Base of the deserializers: value semantics of Chainer plus two-pass loading.

    Subclasses provide the *source* (an object with ``has(key)``,
    ``entry(key, verify)``, ``read(entry)``, ``read_into(entry, out)`` and
    ``siblings(key)``) and implement :meth:`__getitem__` with :meth:`_child_state`.
    """

    _state = None
    path = ''
    strict = True
    _ignore = ()

    # -- helpers for subclasses -------------------------------------------------------

    def _full_key(self, key):
        return self.path + key.lstrip('/')

    def _ignored(self, key):
        for name in self._ignore:
            if isinstance(name, str):
                if key == name:
                    return True
            elif name(key):
                return True
        return False

    def _missing(self, key, value):
        state = self._state
        return _errors.MissingKeyError(
            '{}: key {!r} (a {}) is not in {}'.format(
                state.who, key, _describe_value(value), state.filename))

    # -- the protocol -----------------------------------------------------------------

    def __call__(self, key, value):
        """Load the value stored under ``key`` (relative to this deserializer's path).

        * A stored ``None`` returns ``None`` (``value`` is not modified).
        * ``value`` is ``None``: the stored array is returned as a new NumPy array.
        * ``value`` is a NumPy/CuPy array: the stored data is copied into it in place
          (onto its device); the shapes must be equal and the stored dtype must cast
          to ``value.dtype`` with ``casting='same_kind'``.
        * otherwise (a scalar, a string, ...): ``type(value)(stored)`` is returned;
          a number must be stored as a single element whose dtype casts safely to
          the type of ``value`` (integers always convert to ``int``).

        With ``strict=False`` a missing key returns ``value``; keys matched by
        ``ignore_names`` are skipped the same way.

        Raises:
            MissingKeyError: ``key`` is missing (with ``strict=True``).
            IncompatibleValueError: Shape, dtype or type mismatch.
            SerializationError: The stored value cannot be read (corrupted member,
                object array, ...).

        """
        state = self._state
        full = self._full_key(key)
        source = state.source
        present = source.has(full)
        if not self.strict and not present:
            return value
        if self._ignored(full):
            return value
        if not present:
            raise self._missing(full, value)
        if state.mode == 'dry':
            state.records.append((full, value))
            if value is None:
                state.none_requests.append(full)
            return value
        entry = state.checked.get(full)
        if entry is None:
            entry = source.entry(full, verify=True)
            _check_value(entry, value, state, source)
            if state.mode == 'apply':
                state.checked[full] = entry
        else:
            _check_value(entry, value, state, source)
        return _assign(entry, value, source)

    def load(self, obj):
        """Load ``obj`` from this deserializer, all or nothing.

        Runs ``obj.serialize`` as a dry run, validates every value it asks for
        (presence, integrity, shape and dtype), and only then runs it for real (see
        the module documentation).  If anything is wrong, an error naming the file
        and the keys is raised and ``obj`` is left unmodified.

        Args:
            obj: An object with a ``serialize(serializer)`` method.

        Raises:
            MissingKeyError: A needed key is missing (``strict=True``).
            IncompatibleValueError: A stored value does not fit its target.
            SerializationError: The file is corrupted or holds refused content.

        """
        state = self._state
        if state.mode != 'direct':
            raise RuntimeError('{}: load() is already running'.format(state.who))
        rules = _update_rules_without_state(obj)
        state.records = []
        state.none_requests = []
        state.checked = {}
        state.mode = 'dry'
        try:
            try:
                obj.serialize(self)
            except BaseException:
                _restore_rules(rules)
                raise
            state.mode = 'validate'
            self._validate()
            state.mode = 'apply'
            obj.serialize(self)
        finally:
            state.mode = 'direct'
            state.records = []
            state.none_requests = []
            state.checked = {}

    def _validate(self):
        state = self._state
        source = state.source
        problems = []
        for key, value in state.records:
            try:
                entry = source.entry(key, verify=True)
                _check_value(entry, value, state, source)
            except _errors.SerializationError as e:
                problems.append(e)
                continue
            state.checked[key] = entry
        seen = set(key for key, _ in state.records)
        for key in state.none_requests:
            for sibling in source.siblings(key):
                if sibling in seen:
                    continue
                seen.add(sibling)
                try:
                    source.entry(sibling, verify=True)
                except _errors._PickleRefused:
                    pass   # refused if it is ever asked for; not a sign of damage
                except _errors.SerializationError as e:
                    problems.append(e)
        if not problems:
            return
        first = problems[0]
        if len(problems) == 1:
            raise first
        cls = type(first)
        if not all(type(p) is cls for p in problems):
            cls = _errors.SerializationError
        msg = '{}: {} problems loading {}; nothing was loaded:\n  {}'.format(
            state.who, len(problems), state.filename,
            '\n  '.join(str(p) for p in problems))
        raise cls(msg) from first


def _describe_value(value):
    if value is None:
        return 'None value (e.g. an uninitialized parameter)'
    if array_util.is_array(value):
        return '{} array of shape {}'.format(value.dtype, tuple(value.shape))
    return 'value of type {}'.format(type(value).__name__)


def _incompatible(state, entry, value, detail):
    return _errors.IncompatibleValueError(
        '{}: cannot load key {!r} from {}: {}; expected {}, found {}'.format(
            state.who, entry.key, state.filename, detail, _describe_value(value),
            entry.describe()))


def _convert_scalar(array, value):
    """Chainer's conversion of a stored array to the type of a non-array value."""
    value_type = type(value)
    if _is_number(value):
        if array.size != 1:
            raise TypeError('a {} needs a single element'.format(value_type.__name__))
        dt = array.dtype
        if (issubclass(dt.type, numpy.number)
                and not (issubclass(dt.type, numpy.integer) and value_type is int)
                and not numpy.can_cast(dt, value_type, casting='safe')):
            raise TypeError('cannot safely cast {} to {}'.format(
                dt, value_type.__name__))
        return value_type(array.reshape(())[()])
    return value_type(array)


def _check_value(entry, value, state, source):
    """Raise IncompatibleValueError unless ``entry`` can be loaded into ``value``."""
    if entry.is_none or value is None:
        return
    if array_util.is_array(value):
        shape = tuple(value.shape)
        if shape != entry.shape:
            raise _incompatible(state, entry, value, 'shape mismatch')
        if not numpy.can_cast(entry.dtype, value.dtype, casting='same_kind'):
            raise _incompatible(state, entry, value, 'dtype mismatch')
        if isinstance(value, numpy.ndarray) and not value.flags.writeable:
            raise _incompatible(state, entry, value, 'the target array is read-only')
        return
    if entry.cache is None:
        array = source.read(entry)
        try:
            converted = _convert_scalar(array, value)
        except (TypeError, ValueError, OverflowError) as e:
            raise _incompatible(state, entry, value, str(e)) from e
        entry.cache = (type(value), converted)
    elif entry.cache[0] is not type(value):
        entry.cache = None
        _check_value(entry, value, state, source)


def _assign(entry, value, source):
    if entry.is_none:
        return None
    if value is None:
        return source.read(entry)
    if isinstance(value, numpy.ndarray):
        source.read_into(entry, value)
        return value
    if array_util.is_array(value):   # CuPy: load on the host, send to its device
        array_util.copy_into(value, source.read(entry))
        return value
    return entry.cache[1]


def _update_rules_without_state(obj):
    # UpdateRule.serialize sets ``_state = {}`` before asking for the first state
    # entry, so a dry run that fails there would leave an empty state behind;
    # remember the rules of an optimizer that have no state yet to undo that.
    target = getattr(obj, 'target', None)
    namedparams = getattr(target, 'namedparams', None)
    rules = []
    if callable(namedparams):
        try:
            for _, param in namedparams():
                rule = getattr(param, 'update_rule', None)
                if rule is not None and getattr(rule, '_state', 0) is None:
                    rules.append(rule)
        except Exception:
            return []
    if isinstance(obj, optimizer_module.UpdateRule) and obj.state is None:
        rules.append(obj)
    return rules


def _restore_rules(rules):
    for rule in rules:
        rule._state = None


def to_host(value, key, who):
    """Convert a value being saved to what is stored: a NumPy array or ``None``."""
    if value is None:
        return None
    if array_util.is_cupy_array(value):
        return value.get()
    array = numpy.asarray(value)
    if array.dtype.hasobject:
        if array.shape == () and array[()] is None:
            return None
        raise _errors.SerializationError(
            '{}: cannot save key {!r}: it is an object array ({} of shape {}), '
            'which could only be stored with pickle'.format(
                who, key, array.dtype, array.shape))
    return array
