"""Exceptions raised when loading a snapshot fails.

Every error names the function, the file and (where there is one) the key, and is
raised before the target object is modified (see :func:`kusari.serializers.load_npz`).
"""


class SerializationError(ValueError):
    """Base class of the errors of :mod:`kusari.serializers` (a :class:`ValueError`).

    Also raised directly when a file cannot be read: it is not of the expected format,
    it is truncated or corrupted (bad CRC, short data, inconsistent header), or an
    entry would need :mod:`pickle` to be loaded.
    """


class MissingKeyError(KeyError, SerializationError):
    """A value the target object asks for is not in the file.

    A :class:`KeyError` (what Chainer raises in this case, and what an update rule
    of a disabled parameter catches) and a :class:`SerializationError`.
    """

    def __str__(self):
        # KeyError's str() is the repr of its argument; show the message as is.
        return str(self.args[0]) if self.args else ''


class IncompatibleValueError(SerializationError, TypeError):
    """A stored value does not fit the target's value (shape, dtype or type).

    A :class:`SerializationError` (so a :class:`ValueError`) and a
    :class:`TypeError`, which Chainer raises for an unsafe cast.
    """


class _PickleRefused(SerializationError):
    """A stored entry is an object array (it would need unpickling); refused."""
