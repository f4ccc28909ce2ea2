"""Calling a converter the way Chainer 7 does, and checking what it returns."""

import kusari
from kusari import backend
from kusari.dataset import convert as _dataset_convert


def call_converter(converter, batch, device):
    """Call ``converter`` on ``batch`` for ``device`` (a Device or None), as Chainer does:
    :func:`kusari.dataset.convert._call_converter` (one implementation for the
    updaters, the evaluator and the dataset package)."""
    return _dataset_convert._call_converter(converter, batch, device)


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
