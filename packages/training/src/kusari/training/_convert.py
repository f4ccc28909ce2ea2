"""Calling a converter the way Chainer 7 does, and checking what it returns."""
import numpy

import kusari
from kusari import backend
from kusari import dataset


def call_converter(converter, batch, device):
    """Call ``converter`` on ``batch`` for ``device`` (a Device or None).

    A :class:`kusari.dataset.Converter` gets the :class:`~kusari.backend.Device`;
    a plain (old-style) function gets an integer device id (``-1`` for the host),
    or ``None`` when ``device`` is None.
    """
    if isinstance(converter, dataset.Converter):
        return converter(batch, device)
    if device is None:
        return converter(batch, None)      # Chainer passes the None on
    if device.xp is numpy:
        return converter(batch, -1)
    return converter(batch, device.device.id)


def _is_array_like(value):
    return isinstance(value, (kusari.Variable,) + tuple(backend.get_array_types()))


def check_converted(in_arrays, who):
    """Return ``in_arrays``: any structure is accepted, as in Chainer.

    A tuple is spread as positional arguments, a dict as keyword arguments, and
    anything else (an array, a list, a custom object) is passed as the one argument
    (:func:`call_with`).
    """
    return in_arrays


def call_with(func, in_arrays):
    """Call ``func`` with ``in_arrays`` spread as Chainer does."""
    if isinstance(in_arrays, tuple):
        return func(*in_arrays)
    if isinstance(in_arrays, dict):
        return func(**in_arrays)
    return func(in_arrays)
