"""The base class of initializers and the fan computation they share.

An *initializer* is a callable that fills a given array in place.  Concrete initializers
live in :mod:`kusari.initializers`; this module holds their base class
:class:`Initializer` and :func:`get_fans`.
"""
import math
import operator

import numpy


class Initializer:
    """Base class of initializers: a callable that fills an array in place.

    An initializer is called with one array (:class:`numpy.ndarray` or
    :class:`cupy.ndarray`) and destructively overwrites its elements; it returns
    nothing.  The shape and dtype of the array are chosen by the caller (usually
    :func:`kusari.initializers.generate_array` on behalf of a
    :class:`~kusari.Parameter`).

    Args:
        dtype: Data type specifier, or ``None``.  When given, it is the dtype the
            initialized arrays must have: :func:`~kusari.initializers.generate_array`
            creates arrays of this dtype, and calling the initializer on an array of
            another dtype raises :class:`ValueError`.  When ``None``, arrays of any
            floating dtype are accepted and ``generate_array`` uses
            ``kusari.config.dtype``.

    Attributes:
        dtype: The data type specifier given to the constructor (kept as given).

    """

    def __init__(self, dtype=None):
        self.dtype = dtype

    def __call__(self, array):
        """Initialize ``array`` in place.

        Derived classes implement this method; the base class raises
        :class:`NotImplementedError`.

        Args:
            array (numpy.ndarray or cupy.ndarray): The array to fill.  Its shape and
                dtype are kept; only its elements change.

        """
        raise NotImplementedError(
            '{}.__call__ is not implemented: a subclass of Initializer must define '
            '__call__(array) that fills the array in place'.format(type(self).__name__))

    def _check_dtype(self, array):
        # Raise a clear error when the array's dtype differs from the declared one.
        if self.dtype is not None and array.dtype != numpy.dtype(self.dtype):
            raise ValueError(
                '{}: the array to initialize has dtype {}, but the initializer was '
                'created with dtype={}'.format(
                    type(self).__name__, array.dtype, numpy.dtype(self.dtype)))


def get_fans(shape):
    """Return the fan-in and fan-out of a weight array of the given shape.

    The first axis is taken as the output axis and the second as the input axis; the
    remaining axes (for example the kernel axes of a convolution weight
    ``(out_channels, in_channels, kh, kw)``) form the receptive field, whose size
    multiplies both fans::

        fan_in  = shape[1] * prod(shape[2:])
        fan_out = shape[0] * prod(shape[2:])

    Args:
        shape (tuple of ints): The shape of the weight array; at least two axes.

    Returns:
        tuple: ``(fan_in, fan_out)`` as Python ints.

    Raises:
        ValueError: ``shape`` is not a tuple or has fewer than two axes.

    """
    if not isinstance(shape, tuple):
        raise ValueError(
            'get_fans: shape must be a tuple, but got {} ({!r})'.format(
                type(shape).__name__, shape))
    if len(shape) < 2:
        raise ValueError(
            'get_fans: shape must have at least 2 axes (out, in, ...), but got '
            'shape={}'.format(shape))
    dims = [operator.index(s) for s in shape]
    receptive_field_size = math.prod(dims[2:])
    fan_in = dims[1] * receptive_field_size
    fan_out = dims[0] * receptive_field_size
    return fan_in, fan_out
