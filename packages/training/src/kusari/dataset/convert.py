"""Converters: turn a list of examples (a minibatch) into batched arrays.

Chainer 7's ``chainer.dataset.convert``.  A converter is called as
``converter(batch, device)`` by updaters and evaluators; :func:`concat_examples`
is the default one.
"""
import functools
import sys

import numpy

from kusari import backend


class Converter:
    """Base class of converters: ``converter(batch, device)`` returns the batch arrays.

    Subclass it and implement :meth:`__call__`; updaters then pass ``device`` as a
    :class:`kusari.backend.Device` (or ``None``).  A plain function becomes a
    converter with the :func:`converter` decorator.
    """

    def __call__(self, batch, device):
        """Convert ``batch`` (a list of examples) and send it to ``device``."""
        raise NotImplementedError(
            '{}.__call__ is not implemented'.format(type(self).__name__))


class _ArbitraryCallableConverter(Converter):
    """A converter that wraps a callable (what :func:`converter` returns)."""

    def __init__(self, base_callable):
        if not callable(base_callable):
            raise TypeError('converter: can only wrap a callable, got {}'.format(
                type(base_callable).__name__))
        self.base_callable = base_callable
        functools.update_wrapper(self, base_callable)

    def __call__(self, *args, **kwargs):
        return self.base_callable(*args, **kwargs)

    def __repr__(self):
        return '<converter {}>'.format(getattr(self.base_callable, '__qualname__',
                                               self.base_callable))

    def __reduce__(self):
        # A decorated module-level function (concat_examples) is the module's
        # attribute under the function's name: pickle it by reference, as the
        # plain function would be (pickling the wrapped function itself fails,
        # since its name now refers to this wrapper).
        module = sys.modules.get(getattr(self, '__module__', None))
        name = getattr(self, '__qualname__', None)
        if module is not None and name and getattr(module, name, None) is self:
            return name
        return _ArbitraryCallableConverter, (self.base_callable,)


def converter():
    """Decorator that makes a function ``f(batch, device)`` a :class:`Converter`.

    Example:

        >>> from kusari import dataset
        >>> @dataset.converter()
        ... def first_only(batch, device):
        ...     return dataset.concat_examples([b[0] for b in batch], device)
        >>> isinstance(first_only, dataset.Converter)
        True
        >>> first_only([(1, 'a'), (2, 'b')], None)
        array([1, 2])

    """
    def wrap(func):
        return _ArbitraryCallableConverter(func)
    return wrap


def _call_converter(converter, batch, device):
    """Call ``converter(batch, device)`` the way updaters and evaluators do (Chainer's).

    A :class:`Converter` gets ``device`` as a :class:`kusari.backend.Device` (or
    ``None``); a legacy plain function gets ``None`` or an int as given, and a device
    object as an int id (``-1`` for the host).
    """
    if isinstance(converter, Converter):
        if device is not None:
            device = backend.get_device(device)
        return converter(batch, device)
    if device is None or isinstance(device, int):
        return converter(batch, device)
    device = backend.get_device(device)
    if device.xp is numpy:
        return converter(batch, -1)
    return converter(batch, device.device.id)


def to_device(device, x):
    """Send an array (or ``None``) to a device.

    Args:
        device: ``None`` (leave ``x`` where it is), a negative int (the host), a
            non-negative int (that GPU), or any device specifier that
            :func:`kusari.backend.get_device` accepts (``'@numpy'``,
            ``'@cupy:0'``, a :class:`~kusari.backend.Device`...).
        x: A NumPy/CuPy array, or ``None``.

    Returns:
        ``x`` on ``device`` (the same object when it is already there).

    >>> import numpy
    >>> from kusari.dataset import to_device
    >>> to_device(-1, numpy.arange(3))
    array([0, 1, 2])

    """
    if device is None or x is None:
        return x
    if isinstance(device, (int, numpy.integer)) and not isinstance(device, bool):
        if device < 0:
            return backend.to_cpu(x)
        return backend.to_gpu(x, int(device))
    return backend.get_device(device).send(x)


def _concat_arrays(arrays, padding):
    # Built-in values (ints, floats, lists) become one NumPy array in one go.
    if not isinstance(arrays[0], backend.get_array_types()):
        arrays = numpy.asarray(arrays)
        if padding is None:
            return arrays
    if padding is not None:
        return _concat_arrays_with_padding(arrays, padding)
    first = arrays[0]
    if type(first) is numpy.ndarray and first.ndim:
        # One concatenate of the flat data is faster than numpy.stack's per-array
        # expand_dims; it needs every example to be an array of the same shape.
        shape = first.shape
        if all(type(a) is numpy.ndarray and a.shape == shape for a in arrays):
            return numpy.concatenate(arrays).reshape((len(arrays),) + shape)
    xp = backend.get_array_module(first)
    try:
        with backend.using_device(backend.get_device_from_array(first)):
            return xp.stack(arrays)
    except ValueError as e:
        shapes = sorted({tuple(getattr(a, 'shape', ())) for a in arrays})
        raise ValueError('concat_examples: cannot stack arrays of shapes {} without '
                         'padding ({})'.format(shapes, e)) from None


def _concat_arrays_with_padding(arrays, padding):
    first = arrays[0]
    shape = list(first.shape)
    for array in arrays[1:]:
        if array.ndim != len(shape):
            raise ValueError(
                'concat_examples: cannot pad arrays of different ranks: {} and {}'
                .format(tuple(first.shape), tuple(array.shape)))
        shape = [max(a, b) for a, b in zip(shape, array.shape)]
    xp = backend.get_array_module(first)
    with backend.using_device(backend.get_device_from_array(first)):
        result = xp.full([len(arrays)] + shape, padding, dtype=first.dtype)
        for i, src in enumerate(arrays):
            result[(i,) + tuple(slice(d) for d in src.shape)] = src
    return result


def _check_structure(example, first, index):
    if isinstance(first, tuple):
        if not isinstance(example, tuple) or len(example) != len(first):
            raise ValueError(
                'concat_examples: example {} is {!r}, expected a tuple of length {} '
                'like example 0'.format(index, _short(example), len(first)))
    elif isinstance(first, dict):
        if not isinstance(example, dict) or example.keys() != first.keys():
            raise ValueError(
                'concat_examples: example {} is {!r}, expected a dict with keys {} '
                'like example 0'.format(index, _short(example), sorted(first)))


def _short(obj):
    text = repr(obj)
    return text if len(text) < 60 else text[:57] + '...'


@converter()
def concat_examples(batch, device=None, padding=None):
    """Concatenate a list of examples into batched arrays (the default converter).

    * examples that are arrays (or numbers) give one array of shape
      ``(len(batch),) + example.shape``;
    * tuples of arrays give a tuple of such arrays, one per position;
    * dicts give a dict of such arrays, one per key.

    Args:
        batch (list): The examples; all of the same structure.
        device: Where to send the result (see :func:`to_device`); ``None`` leaves
            the arrays where the examples are.
        padding: ``None`` (all arrays of a position must have the same shape), or
            a value to pad with: arrays are then padded up to the largest size in
            every axis.  A tuple (for tuple examples) or a dict (for dict examples)
            gives one padding value per position/key.

    Returns:
        An array, a tuple of arrays or a dict of arrays.

    Raises:
        ValueError: ``batch`` is empty, or its examples differ in structure.

    >>> import numpy
    >>> from kusari.dataset import concat_examples
    >>> x, t = concat_examples([(numpy.zeros(2), 0), (numpy.ones(2), 1)])
    >>> x
    array([[0., 0.],
           [1., 1.]])
    >>> t
    array([0, 1])
    >>> concat_examples([numpy.array([1, 2]), numpy.array([3])], padding=-1)
    array([[ 1,  2],
           [ 3, -1]])

    """
    if len(batch) == 0:
        raise ValueError('concat_examples: the batch is empty')
    first = batch[0]
    if isinstance(first, tuple):
        n = len(first)
        if not all(isinstance(e, tuple) and len(e) == n for e in batch):
            for i, example in enumerate(batch):
                _check_structure(example, first, i)
        if not isinstance(padding, tuple):
            padding = (padding,) * n
        elif len(padding) != n:
            raise ValueError('concat_examples: {} padding values for examples of '
                             'length {}'.format(len(padding), n))
        return tuple(
            to_device(device, _concat_arrays([example[i] for example in batch],
                                             padding[i]))
            for i in range(n))
    if isinstance(first, dict):
        keys = first.keys()
        if not all(isinstance(e, dict) and e.keys() == keys for e in batch):
            for i, example in enumerate(batch):
                _check_structure(example, first, i)
        if not isinstance(padding, dict):
            padding = {key: padding for key in first}
        return {key: to_device(device, _concat_arrays(
            [example[key] for example in batch], padding[key])) for key in first}
    return to_device(device, _concat_arrays(batch, padding))


class ConcatWithAsyncTransfer:
    """Converter like :func:`concat_examples` that Chainer overlaps with GPU transfer.

    Chainer's version copies the batch to the GPU asynchronously on CUDA streams
    while the previous one is computed.  kusari gives the same results through
    :func:`concat_examples` (the transfer, if any, is synchronous); the class
    exists so that code using it runs unchanged.

    Args:
        stream: Accepted for Chainer's signature (a CuPy stream); kept as is.
        compute_stream: Accepted for Chainer's signature; kept as is.

    >>> import numpy
    >>> from kusari.dataset import ConcatWithAsyncTransfer
    >>> ConcatWithAsyncTransfer()([numpy.zeros(2), numpy.ones(2)])
    array([[0., 0.],
           [1., 1.]])
    """

    def __init__(self, stream=None, compute_stream=None):
        self.stream = stream
        self.compute_stream = compute_stream

    def __call__(self, batch, device=None, padding=None):
        """Concatenate ``batch`` like :func:`concat_examples` and send it to ``device``."""
        return concat_examples(batch, device, padding)


# concat_examples is a Converter instance: doctest's finder only looks at functions
# and classes, so name its docstring explicitly.
__test__ = {'concat_examples': concat_examples.__doc__}
