"""Helpers shared by the links: argument normalization and input validation."""
import operator

from kusari.utils import type_check


class InvalidArgument(ValueError, AssertionError):
    """A bad argument: a :class:`ValueError`, and the :class:`AssertionError` that
    Chainer's link raises there (it checks with ``assert``)."""


class InvalidArgumentCount(TypeError, AssertionError):
    """A call with the wrong number of inputs: a :class:`TypeError`, and the
    :class:`AssertionError` that Chainer's link raises there."""


def pair(x):
    """Return ``x`` as a pair of ints (``k`` -> ``(k, k)``)."""
    return as_tuple(x, 2)


def as_tuple(x, n):
    """Return ``x`` as a tuple of ``n`` ints (an int is repeated ``n`` times)."""
    if hasattr(x, '__getitem__'):
        x = tuple(operator.index(v) for v in x)
        if len(x) != n:
            raise ValueError(
                'expected an int or a sequence of {} ints, but got {!r}'.format(n, x))
        return x
    return (operator.index(x),) * n


def invalid(who, expect, actual):
    """Build an :class:`~kusari.utils.type_check.InvalidType` naming the link ``who``."""
    return type_check.InvalidType(
        expect, actual,
        '{}: invalid input\nExpect: {}\nActual: {}'.format(who, expect, actual))


def shape_of(x):
    """The shape of an array or Variable ``x`` (raises InvalidType for anything else)."""
    shape = getattr(x, 'shape', None)
    if shape is None:
        raise TypeError('expected an array or a Variable, but got {}'.format(
            type(x).__name__))
    return tuple(shape)


def check_ndim(who, x, ndim, name='x'):
    """Raise InvalidType unless ``x.ndim == ndim`` (``ndim`` may be a tuple of choices)."""
    shape = shape_of(x)
    choices = ndim if isinstance(ndim, tuple) else (ndim,)
    if len(shape) not in choices:
        expect = '{}.ndim {}'.format(
            name, '== {}'.format(choices[0]) if len(choices) == 1
            else 'in {}'.format(choices))
        raise invalid(who, expect, '{}.shape == {}'.format(name, shape))
    return shape


def check_min_ndim(who, x, min_ndim, name='x'):
    """Raise InvalidType unless ``x.ndim >= min_ndim``."""
    shape = shape_of(x)
    if len(shape) < min_ndim:
        raise invalid(who, '{}.ndim >= {}'.format(name, min_ndim),
                      '{}.shape == {}'.format(name, shape))
    return shape


def check_channels(who, x, expected, axis=1, name='x'):
    """Raise InvalidType unless ``x.shape[axis] == expected``."""
    shape = shape_of(x)
    if shape[axis] != expected:
        raise invalid(who, '{}.shape[{}] == {}'.format(name, axis, expected),
                      '{}.shape == {}'.format(name, shape))


def function(name):
    """``kusari.functions.<name>``, or a stand-in that looks it up when called.

    Used for default arguments (``activation=F.relu``): when the function already
    exists, the default *is* the function, as in Chainer.
    """
    import kusari.functions as F
    fn = getattr(F, name, None)
    if fn is not None:
        return fn

    def deferred(*args, **kwargs):
        return getattr(F, name)(*args, **kwargs)

    deferred.__name__ = deferred.__qualname__ = name
    deferred.__doc__ = 'Calls kusari.functions.{}.'.format(name)
    return deferred
