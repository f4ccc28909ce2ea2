"""Calling a converter the way Chainer 7 does, and checking what it returns."""
import numpy

import kusari
from kusari import backend
from kusari import dataset


def call_converter(converter, batch, device):
    """Call ``converter`` on ``batch`` for ``device`` (a Device or None).

    A :class:`kusari.dataset.Converter` gets the :class:`~kusari.backend.Device`;
    a plain (old-style) function gets an integer device id (``-1`` for the host),
    or no device argument at all when ``device`` is None.
    """
    if isinstance(converter, dataset.Converter):
        return converter(batch, device)
    if device is None:
        return converter(batch)
    if device.xp is numpy:
        return converter(batch, -1)
    return converter(batch, device.device.id)


def _is_array_like(value):
    return isinstance(value, (kusari.Variable,) + tuple(backend.get_array_types()))


def check_converted(in_arrays, who):
    """Raise TypeError unless ``in_arrays`` is a tuple, a dict or a single array.

    Those are the structures an updater or evaluator knows how to pass to the
    model (``f(*tuple)``, ``f(**dict)``, ``f(array)``).
    """
    if isinstance(in_arrays, (tuple, dict)) or _is_array_like(in_arrays):
        return in_arrays
    hint = ''
    if isinstance(in_arrays, list):
        hint = ' (return a tuple to pass the elements as separate arguments)'
    raise TypeError(
        '{}: the converter must return a tuple, a dict or an array, but returned '
        '{}{}'.format(who, type(in_arrays).__name__, hint))


def call_with(func, in_arrays):
    """Call ``func`` with ``in_arrays`` spread as Chainer does."""
    if isinstance(in_arrays, tuple):
        return func(*in_arrays)
    if isinstance(in_arrays, dict):
        return func(**in_arrays)
    return func(in_arrays)
