import numpy

from kusari import _core
from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check

# Modes whose padded values do not depend on the input: the gradient is a slice.
_SLICE_MODES = ('constant', 'empty')
# Modes whose padded values are copies of input elements: the gradient scatters back.
_COPY_MODES = ('edge', 'reflect', 'symmetric', 'wrap')


def _widths(func, pad_width, ndim):
    """``pad_width`` as an ``(ndim, 2)`` list of non-negative ints (NumPy's rules)."""
    try:
        w = numpy.asarray(pad_width)
        if w.dtype.kind not in 'iu':
            raise TypeError
        w = numpy.broadcast_to(w, (ndim, 2)) if w.ndim <= 2 else None
    except (TypeError, ValueError):
        w = None
    if w is None:
        raise ValueError('%s: pad_width must be an int, a pair or %d pairs of ints, '
                         'got %r' % (func, ndim, pad_width))
    if (w < 0).any():
        raise ValueError('%s: pad_width must be non-negative, got %r'
                         % (func, pad_width))
    return [(int(a), int(b)) for a, b in w]


def _copy_index(xp, in_shape, widths, mode, keywords):
    """For each output element, the flat index of the input element it copies."""
    size = int(numpy.prod(in_shape, dtype=numpy.int64))
    idx = xp.arange(size, dtype=numpy.int64).reshape(in_shape)
    return xp.pad(idx, widths, mode=mode, **keywords)


class Pad(function_node.FunctionNode):
    """Pad an array (as :func:`numpy.pad`)."""

    def __init__(self, pad_width, mode, **keywords):
        self.pad_width = pad_width
        self.mode = mode
        self.keywords = keywords

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        type_check.expect(in_types[0].dtype.kind == 'f')

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self._widths = _widths('pad', self.pad_width, x.ndim)
        if x.ndim == 0:
            # nothing to pad (NumPy rejects the empty width list)
            return x.copy(),
        return xp.pad(x, self._widths, mode=self.mode, **self.keywords),

    def _kind(self):
        if self.mode in _SLICE_MODES:
            return 'slice'
        if self.mode in _COPY_MODES and \
                self.keywords.get('reflect_type', 'even') == 'even':
            return 'copy'
        raise NotImplementedError(
            'pad: backward is implemented for the modes %s (and reflect/symmetric only '
            "with reflect_type='even'), not for mode=%r"
            % (', '.join(_SLICE_MODES + _COPY_MODES), self.mode))

    def _slices(self):
        return tuple(slice(a, a + n) for (a, _), n in
                     zip(self._widths, self.inputs[0].shape))

    def backward(self, indexes, grad_outputs):
        if not self.inputs[0].shape:      # a 0-dim input was returned as it is
            return grad_outputs
        if self._kind() == 'slice':
            return _core.GetItem(self._slices()).apply(grad_outputs)
        return PadGrad(self.inputs[0].shape, self._widths, self.mode,
                       self.keywords).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        if not self.inputs[0].shape:
            return gy,
        if self._kind() == 'slice':
            return gy[self._slices()],
        return _pad_grad(gy, self.inputs[0].shape, self._widths, self.mode,
                         self.keywords),


def _pad_grad(gy, in_shape, widths, mode, keywords):
    xp = backend.get_array_module(gy)
    idx = _copy_index(xp, in_shape, widths, mode, keywords)
    size = int(numpy.prod(in_shape, dtype=numpy.int64))
    return _util.flat_bincount(xp, idx, gy, size, gy.dtype).reshape(in_shape)


class PadGrad(function_node.FunctionNode):
    """Gradient of :class:`Pad` for the modes that copy input elements (edge, reflect,
    symmetric, wrap): every output gradient is added to the element it copies."""

    def __init__(self, in_shape, widths, mode, keywords):
        self.in_shape = tuple(in_shape)
        self.widths = widths
        self.mode = mode
        self.keywords = keywords

    def forward(self, inputs):
        return _pad_grad(inputs[0], self.in_shape, self.widths, self.mode,
                         self.keywords),

    def backward(self, indexes, grad_outputs):
        return Pad(self.widths, self.mode, **self.keywords).apply(grad_outputs)


def pad(x, pad_width, mode, **keywords):
    """Pad ``x`` (as :func:`numpy.pad`).

    Args:
        x (Variable or ndarray): a float array.
        pad_width (int or array-like): number of values padded to the edges of each
            axis: an int, a pair ``(before, after)``, or one pair per axis.
        mode (str): how to fill the border, passed to :func:`numpy.pad` (e.g.
            ``'constant'``, ``'edge'``, ``'reflect'``, ``'symmetric'``, ``'wrap'``).
        **keywords: passed to :func:`numpy.pad`, e.g. ``constant_values`` for
            ``'constant'``.

    Returns:
        ~kusari.Variable: the padded array.

    Backward is available for ``'constant'``, ``'empty'``, ``'edge'``, ``'wrap'``,
    and ``'reflect'``/``'symmetric'`` with the default ``reflect_type='even'``: the
    gradient of every padded element that copies an input element is added to it.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([1, 2, 3], numpy.float32)
    >>> F.pad(x, 1, 'constant', constant_values=-1).array
    array([-1.,  1.,  2.,  3., -1.], dtype=float32)
    >>> F.pad(x, (2, 1), 'edge').array
    array([1., 1., 1., 2., 3., 3.], dtype=float32)
    """
    return Pad(pad_width, mode, **keywords).apply((x,))[0]
