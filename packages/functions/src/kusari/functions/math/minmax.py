"""Reductions that select elements: :func:`max`, :func:`min`, :func:`argmax`, :func:`argmin`."""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


class _SelectorBase(FunctionNode):
    """Select the extreme element over the given axes (base of Max and Min)."""

    _name = None

    def __init__(self, axis=None, keepdims=False):
        self.axis = _util.normalize_axis(self._name, axis)
        self.keepdims = keepdims

    def _fwd(self, x, xp):
        raise NotImplementedError

    def forward(self, inputs):
        x, = inputs
        _util.check_float(self._name, 'x', x)
        _util.check_axes(self._name, self.axis, x.ndim)
        if x.size == 0:
            raise _util.invalid(self._name, 'x.size > 0', '0 == 0')
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        xp = _core.get_array_module(x)
        return _util.force_array(self._fwd(x, xp), xp),

    def _mask(self, x, y):
        # Where the input equals the selected value (all ties get the gradient).
        shape = _util.keepdims_shape(x.shape, self.axis)
        return (x == y.reshape(shape)).astype(x.dtype), shape

    def backward(self, indexes, grad_outputs):
        x = self.inputs[0].data
        y = self.get_retained_output_arrays()[0]
        cond, shape = self._mask(x, y)
        gy = _util.reshape(grad_outputs[0], shape)
        return _util.broadcast_to(gy, x.shape) * cond,

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        y = self.get_retained_output_arrays()[0]
        cond, shape = self._mask(x, y)
        return grad_outputs[0].reshape(shape) * cond,


class Max(_SelectorBase):
    """Maximum over the given axes."""

    _name = 'Max'

    def _fwd(self, x, xp):
        return xp.amax(x, axis=self.axis, keepdims=self.keepdims)


class Min(_SelectorBase):
    """Minimum over the given axes."""

    _name = 'Min'

    def _fwd(self, x, xp):
        return xp.amin(x, axis=self.axis, keepdims=self.keepdims)


class _IndexSelectorBase(FunctionNode):
    """Index of the extreme element along one axis (not differentiable)."""

    _name = None

    def __init__(self, axis=None):
        if axis is None:
            self.axis = None
        elif isinstance(axis, (int, numpy.integer)) and not isinstance(axis, bool):
            self.axis = int(axis)
        else:
            raise TypeError('%s: None or int are required for axis, got %r'
                            % (self._name, axis))

    def forward(self, inputs):
        x, = inputs
        _util.check_float(self._name, 'x', x)
        if self.axis is not None:
            _util.check_axes(self._name, (self.axis,), x.ndim)
        if x.size == 0:
            raise _util.invalid(self._name, 'x.size > 0', '0 == 0')
        xp = _core.get_array_module(x)
        return _util.force_array(self._fwd(x, xp), xp).astype(numpy.int32),

    def backward(self, indexes, grad_outputs):
        return None,

    def backward_array(self, indexes, grad_outputs):
        return None,


class ArgMax(_IndexSelectorBase):
    """Index of the maximum."""

    _name = 'ArgMax'

    def _fwd(self, x, xp):
        return xp.argmax(x, axis=self.axis)


class ArgMin(_IndexSelectorBase):
    """Index of the minimum."""

    _name = 'ArgMin'

    def _fwd(self, x, xp):
        return xp.argmin(x, axis=self.axis)


def max(x, axis=None, keepdims=False):
    """Maximum of array elements over a given axis.

    The gradient flows to every element that equals the maximum.

    Args:
        x (Variable or array): float array of any shape (not empty).
        axis (None, int or tuple of int): axes to reduce (all when ``None``).
        keepdims (bool): keep the reduced axes with length one.

    Returns:
        Variable: the maxima.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 5.], [4., 2.]], numpy.float32)
    >>> F.max(x).array
    array(5., dtype=float32)
    >>> F.max(x, axis=0).array
    array([4., 5.], dtype=float32)
    """
    return Max(axis, keepdims).apply((x,))[0]


def min(x, axis=None, keepdims=False):
    """Minimum of array elements over a given axis.

    The gradient flows to every element that equals the minimum.

    Args:
        x (Variable or array): float array of any shape (not empty).
        axis (None, int or tuple of int): axes to reduce (all when ``None``).
        keepdims (bool): keep the reduced axes with length one.

    Returns:
        Variable: the minima.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 5.], [4., 2.]], numpy.float32)
    >>> F.min(x, axis=1).array
    array([1., 2.], dtype=float32)
    """
    return Min(axis, keepdims).apply((x,))[0]


def argmax(x, axis=None):
    """Index of the maximum of array elements over a given axis.

    Args:
        x (Variable or array): float array of any shape (not empty).
        axis (None or int): axis to search; ``None`` searches the flattened array.

    Returns:
        Variable: ``int32`` indices (not differentiable).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 5.], [4., 2.]], numpy.float32)
    >>> F.argmax(x, axis=1).array
    array([1, 0], dtype=int32)
    >>> F.argmax(x).array
    array(1, dtype=int32)
    """
    return ArgMax(axis).apply((x,))[0]


def argmin(x, axis=None):
    """Index of the minimum of array elements over a given axis.

    Args:
        x (Variable or array): float array of any shape (not empty).
        axis (None or int): axis to search; ``None`` searches the flattened array.

    Returns:
        Variable: ``int32`` indices (not differentiable).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 5.], [4., 2.]], numpy.float32)
    >>> F.argmin(x, axis=0).array
    array([0, 1], dtype=int32)
    """
    return ArgMin(axis).apply((x,))[0]
