"""Caching of computed properties (Chainer's ``chainer.utils.cache``)."""
import functools

from kusari import configuration


class cached_property:
    """A read-only property computed once per object and per backprop mode.

    Values computed with ``config.enable_backprop`` on carry a graph; those computed
    inside ``no_backprop_mode`` do not, so the two are cached separately (as Chainer's
    distributions expect).

    >>> class Circle:
    ...     def __init__(self, r):
    ...         self.r = r
    ...     @cached_property
    ...     def area(self):
    ...         return 3.0 * self.r ** 2
    >>> c = Circle(2.0)
    >>> c.area
    12.0
    >>> c.r = 3.0; c.area      # cached
    12.0
    """

    def __init__(self, meth):
        self._meth = meth
        functools.update_wrapper(self, meth)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        key = (self._meth.__name__, bool(configuration.config.enable_backprop))
        caches = obj.__dict__.setdefault('_kusari_cached_properties', {})
        try:
            return caches[key]
        except KeyError:
            value = caches[key] = self._meth(obj)
            return value

    def __set__(self, obj, value):
        raise AttributeError("can't set attribute {}".format(self._meth.__name__))
