"""Initializers: callables that fill parameter arrays in place.

Every initializer is a subclass of :class:`kusari.initializer.Initializer` and is
called with one array, whose elements it overwrites.  :func:`generate_array` creates
an array of a given shape and dtype on a device and runs an initializer on it; a
:class:`~kusari.Parameter` uses it to create its data.

Random initializers draw from the global RNG of the array's module
(``numpy.random`` for NumPy arrays, ``cupy.random`` for CuPy arrays) unless an
``rng`` is given, so ``numpy.random.seed`` makes CPU initialization reproducible.
"""
import contextlib
import operator

import numpy

from kusari.initializers import _util
from kusari.initializers.constant import Constant  # NOQA
from kusari.initializers.constant import Identity  # NOQA
from kusari.initializers.constant import NaN  # NOQA
from kusari.initializers.constant import One  # NOQA
from kusari.initializers.constant import Zero  # NOQA
from kusari.initializers.normal import GlorotNormal  # NOQA
from kusari.initializers.normal import HeNormal  # NOQA
from kusari.initializers.normal import LeCunNormal  # NOQA
from kusari.initializers.normal import Normal  # NOQA
from kusari.initializers.orthogonal import Orthogonal  # NOQA
from kusari.initializers.uniform import GlorotUniform  # NOQA
from kusari.initializers.uniform import HeUniform  # NOQA
from kusari.initializers.uniform import LeCunUniform  # NOQA
from kusari.initializers.uniform import Uniform  # NOQA

__all__ = [
    'Constant', 'Identity', 'NaN', 'One', 'Zero',
    'GlorotNormal', 'HeNormal', 'LeCunNormal', 'Normal',
    'Orthogonal',
    'GlorotUniform', 'HeUniform', 'LeCunUniform', 'Uniform',
    'generate_array',
]


def _default_dtype():
    try:
        from kusari import configuration
        dtype = getattr(configuration.config, 'dtype', None)
    except ImportError:  # pragma: no cover - the core always has configuration
        dtype = None
    return numpy.float32 if dtype is None else dtype


def _resolve_dtype(dtype):
    # None -> config.dtype; 'mixed16' (a config value) -> float16; else numpy.dtype.
    if dtype is None:
        dtype = _default_dtype()
    if isinstance(dtype, str) and dtype == 'mixed16':
        return numpy.dtype(numpy.float16)
    return numpy.dtype(dtype)


def _normalize_shape(shape):
    try:
        if isinstance(shape, (int, numpy.integer)):
            dims = (operator.index(shape),)
        else:
            dims = tuple(operator.index(s) for s in shape)
    except TypeError:
        raise TypeError(
            'generate_array: shape must be an int or a sequence of ints, but got '
            '{!r}'.format(shape)) from None
    if any(d < 0 for d in dims):
        raise ValueError(
            'generate_array: shape must not have negative dimensions, but got '
            '{}'.format(dims))
    return dims


def _device_scope(device):
    # Context manager making ``device`` current while the array is created (CuPy).
    if device is None:
        return contextlib.nullcontext()
    inner = getattr(device, 'device', None)
    if inner is not None and hasattr(inner, '__enter__'):
        return inner
    if hasattr(device, '__enter__'):
        return device
    return contextlib.nullcontext()


def generate_array(initializer, shape, xp, dtype=None, device=None):
    """Create an array of the given shape and initialize it.

    An uninitialized array is allocated with ``xp.empty(shape, dtype)`` (on
    ``device`` when given, else on the current device for CuPy) and passed to
    ``initializer``.

    Args:
        initializer: A callable that fills a NumPy/CuPy array in place, usually an
            :class:`~kusari.initializer.Initializer`.  A NumPy/CuPy array is also
            accepted: it is broadcast into the new array, whose dtype defaults to
            the array's dtype.
        shape (int or tuple of ints): Shape of the array.
        xp (module): :mod:`numpy` or :mod:`cupy`.
        dtype: Dtype of the array.  If ``None``, ``initializer.dtype`` is used when
            the initializer has one, otherwise ``kusari.config.dtype``
            (``'mixed16'`` means float16).
        device: Device specifier (anything :func:`kusari.get_device` accepts), or
            ``None`` for the default/current device of ``xp``.

    Returns:
        numpy.ndarray or cupy.ndarray: The initialized array, of shape ``shape``.

    Raises:
        ValueError: ``dtype`` differs from ``initializer.dtype``, or ``device``
            does not belong to ``xp``.

    """
    if _util.is_array(initializer):
        # An array given as the initializer (as a Parameter created from an array
        # keeps it) fills the new array; its dtype is the default dtype.
        if dtype is None:
            dtype = initializer.dtype
        initializer = Constant(initializer)
    dtype_attr = getattr(initializer, 'dtype', None)
    if dtype is not None and dtype_attr is not None and \
            _resolve_dtype(dtype) != _resolve_dtype(dtype_attr):
        raise ValueError(
            'generate_array: dtype mismatch: dtype={} was requested but the '
            'initializer {} has dtype={}'.format(
                _resolve_dtype(dtype), type(initializer).__name__,
                _resolve_dtype(dtype_attr)))
    if dtype is None:
        dtype = dtype_attr
    dtype = _resolve_dtype(dtype)
    shape = _normalize_shape(shape)

    backend_device = None
    if device is not None:
        from kusari import backend
        backend_device = backend.get_device(device)
        if backend_device.xp is not xp:
            raise ValueError(
                'generate_array: xp ({}) and device ({}) are inconsistent'.format(
                    getattr(xp, '__name__', xp), device))

    if xp is numpy:
        array = numpy.empty(shape, dtype=dtype)
        initializer(array)
        return array
    with _device_scope(backend_device):
        array = xp.empty(shape, dtype=dtype)
        initializer(array)
    return array


def _get_initializer(initializer):
    """Turn an initializer specification into an initializer callable.

    Args:
        initializer: ``None`` (gives :class:`LeCunNormal`), a scalar or a
            NumPy/CuPy array (gives :class:`Constant` of it), or a callable
            (returned as is).

    Returns:
        A callable that initializes an array in place.

    Raises:
        TypeError: ``initializer`` is none of the above.

    """
    if initializer is None:
        return LeCunNormal()
    if _util.is_scalar(initializer) or _util.is_array(initializer):
        return Constant(initializer)
    if not callable(initializer):
        raise TypeError(
            'invalid type of initializer: {} (expected None, a scalar, an array or '
            'a callable)'.format(type(initializer).__name__))
    return initializer
