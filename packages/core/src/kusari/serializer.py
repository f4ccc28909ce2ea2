"""Base classes of serializers and deserializers (the protocol; file formats live in
``kusari.serializers``).

An object takes part in serialization by defining ``serialize(serializer)``, in which
it calls ``serializer(key, value)`` for every value it saves or restores and passes
``serializer[name]`` to each of its sub-objects.  The same ``serialize`` method does
both directions:

* a :class:`Serializer` records ``value`` under ``key`` and returns it unchanged;
* a :class:`Deserializer` reads the value stored under ``key`` and returns it.  When
  ``value`` is an array, the loaded data is copied into it in place (and the same
  array is returned); when ``value`` is ``None`` (for example an uninitialized
  parameter), the loaded value is returned as a new object; for other values (a
  scalar, ...) the loaded value is returned converted to the type of ``value``.

So the usual pattern is ``self.x = serializer('x', self.x)``.
"""


class AbstractSerializer:
    """Abstract base class of serializers and deserializers.

    Subclasses implement :meth:`__getitem__` (a child serializer for a
    sub-hierarchy) and :meth:`__call__` (save or load one value).
    """

    def __getitem__(self, key):
        """Return a child serializer for the sub-object named ``key``.

        The child stores its values in a namespace nested under ``key`` (for example
        ``'l1'`` gives keys like ``'l1/W'`` in a flat file format).

        Args:
            key (str): Name of the child.

        Returns:
            AbstractSerializer: The child (de)serializer.

        """
        raise NotImplementedError(
            '{}.__getitem__ is not implemented'.format(type(self).__name__))

    def __call__(self, key, value):
        """Serialize or deserialize one value under ``key``.

        Args:
            key (str): Name of the value.
            value: The value: an array, a scalar, a string, ... or ``None``.  A
                deserializer copies loaded array data into an array ``value`` in
                place; a ``None`` value means "return what is stored".

        Returns:
            The value after the operation: ``value`` itself for a serializer, the
            loaded value (or ``value`` filled in place) for a deserializer.

        """
        raise NotImplementedError(
            '{}.__call__ is not implemented'.format(type(self).__name__))


class Serializer(AbstractSerializer):
    """Base class of serializers (objects that save values)."""

    def save(self, obj):
        """Save an object by this serializer: equivalent to ``obj.serialize(self)``.

        Args:
            obj: An object with a ``serialize(serializer)`` method (a
                :class:`~kusari.Link`, an optimizer, ...).

        """
        obj.serialize(self)


class Deserializer(AbstractSerializer):
    """Base class of deserializers (objects that load values)."""

    def load(self, obj):
        """Load an object by this deserializer: equivalent to ``obj.serialize(self)``.

        Args:
            obj: An object with a ``serialize(serializer)`` method (a
                :class:`~kusari.Link`, an optimizer, ...).

        """
        obj.serialize(self)
