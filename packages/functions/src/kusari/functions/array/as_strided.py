import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _check_geometry(shape, strides, offset, size):
    """Validate a view (in element steps) of a flat buffer of ``size`` elements."""
    if len(shape) != len(strides):
        raise ValueError('as_strided: shape and strides must have the same length, '
                         'got %d and %d' % (len(shape), len(strides)))
    for v in shape + strides + (offset,):
        if not _util.is_int(v):
            raise TypeError('as_strided: shape, strides and storage_offset must be '
                            'ints, got %r' % (v,))
    if any(n < 0 for n in shape):
        raise ValueError('as_strided: negative dimension in shape %s' % (shape,))
    if 0 in shape:
        if not 0 <= offset <= size:
            raise ValueError('as_strided: storage_offset %d is outside the buffer of '
                             '%d elements' % (offset, size))
        return
    lo = offset + sum((n - 1) * s for n, s in zip(shape, strides) if s < 0)
    hi = offset + sum((n - 1) * s for n, s in zip(shape, strides) if s > 0)
    if lo < 0 or hi >= size:
        raise ValueError('as_strided: the view (shape=%s, strides=%s, storage_offset=%d)'
                         ' reaches elements %d..%d, outside the buffer of %d elements'
                         % (shape, strides, offset, lo, hi, size))


def _strided_view(flat, shape, strides, offset):
    xp = backend.get_array_module(flat)
    item = flat.itemsize
    base = flat[offset:] if offset < flat.size else flat[flat.size:]
    return xp.lib.stride_tricks.as_strided(
        base, shape=shape, strides=tuple(s * item for s in strides))


def _flat_buffer(x):
    xp = backend.get_array_module(x)
    return xp.ascontiguousarray(x).reshape(-1)


class AsStrided(function_node.FunctionNode):
    """A view of the input's elements (in C order) with given shape and strides.

    Args:
        shape (tuple of ints): shape of the output.
        strides (tuple of ints): strides of the output, in elements.
        storage_offset (int or None): index of the first element (0 when None).
    """

    def __init__(self, shape, strides, storage_offset=None):
        self.shape = tuple(shape)
        self.strides = tuple(strides)
        self.storage_offset = 0 if storage_offset is None else storage_offset

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))

    def forward(self, inputs):
        x, = inputs
        _check_geometry(self.shape, self.strides, self.storage_offset, x.size)
        self._in_shape = x.shape
        return _strided_view(_flat_buffer(x), self.shape, self.strides,
                             self.storage_offset),

    def backward(self, indexes, grad_outputs):
        return AsStridedGrad(self._in_shape, self.shape, self.strides,
                             self.storage_offset).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _scatter(grad_outputs[0], self._in_shape, self.shape, self.strides,
                        self.storage_offset),


def _scatter(gy, in_shape, shape, strides, offset):
    xp = backend.get_array_module(gy)
    size = int(numpy.prod(in_shape, dtype=numpy.int64))
    index = _strided_view(xp.arange(size, dtype=numpy.int64), shape, strides, offset)
    return _util.flat_bincount(xp, index, gy, size, gy.dtype).reshape(in_shape)


class AsStridedGrad(function_node.FunctionNode):
    """Gradient of :class:`AsStrided`: adds each output gradient to the input element it
    views (elements viewed several times get the sum)."""

    def __init__(self, in_shape, shape, strides, storage_offset):
        self.in_shape = tuple(in_shape)
        self.shape = tuple(shape)
        self.strides = tuple(strides)
        self.storage_offset = storage_offset

    def forward(self, inputs):
        return _scatter(inputs[0], self.in_shape, self.shape, self.strides,
                        self.storage_offset),

    def backward(self, indexes, grad_outputs):
        return AsStrided(self.shape, self.strides, self.storage_offset).apply(
            grad_outputs)


def as_strided(x, shape, strides, storage_offset=None):
    """Create a new view of ``x`` with the given shape, strides and offset.

    The view is taken of ``x``'s elements in C order (a contiguous copy is viewed when
    ``x`` is not C-contiguous), so element ``y[i_0, ..., i_k]`` is element
    ``storage_offset + sum_j i_j * strides[j]`` of ``x.ravel()``.  Elements viewed more
    than once receive the sum of their gradients.

    Args:
        x (Variable or ndarray): the array whose elements are viewed.
        shape (tuple of ints): shape of the output.
        strides (tuple of ints): strides of the output, in elements (not bytes);
            negative strides are allowed.
        storage_offset (int or None): index (in elements) of the output's first
            element in ``x.ravel()``; ``None`` means 0.

    Returns:
        ~kusari.Variable: the strided view, of shape ``shape``.

    Raises:
        ValueError: if the view reaches outside ``x``.

    .. warning:: When ``x`` is C-contiguous the output shares its memory: writing to
       one changes the other, as with :func:`numpy.lib.stride_tricks.as_strided`.

    >>> import numpy, kusari, kusari.functions as F
    >>> x = kusari.Variable(numpy.arange(4, dtype=numpy.float32))
    >>> y = F.as_strided(x, (3, 2), (1, 1), 0)
    >>> y.array
    array([[0., 1.],
           [1., 2.],
           [2., 3.]], dtype=float32)
    >>> y.grad = numpy.ones((3, 2), dtype=numpy.float32)
    >>> y.backward()
    >>> x.grad
    array([1., 2., 2., 1.], dtype=float32)
    """
    return AsStrided(shape, strides, storage_offset).apply((x,))[0]
