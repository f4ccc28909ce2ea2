"""Cumulative sums and products along an axis: :func:`cumsum`, :func:`cumprod`.

Besides the public functions, this module defines two private linear building blocks
whose gradients are again expressed with them (so every order of backprop works):

* :class:`Shift` moves the entries along an axis by one position, filling with zero.
* :class:`LinearRecurrence` solves ``s[i] = a[i] * s[i-1] + b[i]`` (or the same from the
  end), the scan behind the gradients of :func:`cumprod` and :func:`prod` that stays
  exact when some entries are zero.
"""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


def _norm_axis(func, axis, ndim):
    if axis >= 0:
        if axis >= ndim:
            raise _util.invalid(func, 'axis < x.ndim', '%d >= %d' % (axis, ndim))
        return axis
    if -axis - 1 >= ndim:
        raise _util.invalid(func, '-axis - 1 < x.ndim', '%d >= %d' % (-axis - 1, ndim))
    return axis + ndim


def _check_axis_type(func, axis):
    if not isinstance(axis, (int, numpy.integer)) or isinstance(axis, bool):
        raise TypeError('%s: axis must be an int or None, got %r' % (func, axis))
    return int(axis)


def _flip(x, axis):
    idx = [slice(None)] * x.ndim
    idx[axis] = slice(None, None, -1)
    return x[tuple(idx)]


# ---- private building blocks --------------------------------------------------------


def _shift_array(x, axis, k):
    xp = _core.get_array_module(x)
    y = xp.zeros_like(x)
    n = x.shape[axis]
    if n > 1:
        dst = [slice(None)] * x.ndim
        src = [slice(None)] * x.ndim
        if k > 0:
            dst[axis] = slice(1, None)
            src[axis] = slice(None, n - 1)
        else:
            dst[axis] = slice(None, n - 1)
            src[axis] = slice(1, None)
        y[tuple(dst)] = x[tuple(src)]
    return y


class Shift(FunctionNode):
    """``y[i] = x[i - k]`` along ``axis`` for ``k = +1`` or ``-1``, zero where undefined."""

    def __init__(self, axis, k):
        self.axis = axis
        self.k = k

    def forward(self, inputs):
        return _shift_array(inputs[0], self.axis, self.k),

    def backward(self, indexes, grad_outputs):
        return Shift(self.axis, -self.k).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _shift_array(grad_outputs[0], self.axis, -self.k),


def shift(x, axis, k):
    """Differentiable :class:`Shift` of a Variable."""
    return Shift(axis, k).apply((x,))[0]


def _linrec_array(a, b, axis, reverse):
    xp = _core.get_array_module(b)
    a_ = xp.moveaxis(a, axis, 0)
    b_ = xp.moveaxis(b, axis, 0)
    s = xp.empty_like(b_)
    n = b_.shape[0]
    order = range(n - 1, -1, -1) if reverse else range(n)
    prev = None
    for i in order:
        if prev is None:
            s[i] = b_[i]
        else:
            s[i] = a_[i] * prev + b_[i]
        prev = s[i]
    return xp.moveaxis(s, 0, axis)


class LinearRecurrence(FunctionNode):
    """Solve ``s[i] = a[i] * s[i-1] + b[i]`` along ``axis`` (``s[-1] = 0``).

    With ``reverse``, ``s[i] = a[i] * s[i+1] + b[i]`` from the end.  The first entry
    of ``a`` in scan order is unused (its gradient is zero).  ``a`` and ``b`` have one
    shape.
    """

    def __init__(self, axis, reverse=False):
        self.axis = axis
        self.reverse = reverse

    def forward(self, inputs):
        a, b = inputs
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        return _linrec_array(a, b, self.axis, self.reverse),

    def backward(self, indexes, grad_outputs):
        a, = self.get_retained_inputs()
        s, = self.get_retained_outputs()
        gs, = grad_outputs
        k = 1 if self.reverse else -1      # the adjoint scans the other way
        t = LinearRecurrence(self.axis, not self.reverse).apply(
            (shift(a, self.axis, k), gs))[0]
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(t * shift(s, self.axis, -k))
            else:
                ret.append(t)
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        a = self.inputs[0].data
        s = self.get_retained_output_arrays()[0]
        gs, = grad_outputs
        k = 1 if self.reverse else -1
        t = _linrec_array(_shift_array(a, self.axis, k), gs, self.axis, not self.reverse)
        ret = []
        for i in indexes:
            if i == 0:
                ret.append(t * _shift_array(s, self.axis, -k))
            else:
                ret.append(t)
        return tuple(ret)


def linear_recurrence(a, b, axis, reverse=False):
    """Differentiable :class:`LinearRecurrence` of two Variables."""
    return LinearRecurrence(axis, reverse).apply((a, b))[0]


def one_hot_along(shape, dtype, axis, index, xp):
    """An array of ``shape`` that is 1 at ``index`` along ``axis`` and 0 elsewhere."""
    e = xp.zeros(shape, dtype)
    idx = [slice(None)] * len(shape)
    idx[axis] = index
    e[tuple(idx)] = 1
    return e


# ---- cumsum -------------------------------------------------------------------------


class Cumsum(FunctionNode):
    """Cumulative sum along ``axis`` (from the end with ``reverse``)."""

    def __init__(self, axis, reverse=False):
        self.axis = _check_axis_type('Cumsum', axis)
        self.reverse = reverse

    def forward(self, inputs):
        x, = inputs
        _util.check_float('Cumsum', 'x', x)
        ax = _norm_axis('Cumsum', self.axis, x.ndim)
        xp = _core.get_array_module(x)
        if self.reverse:
            return _flip(xp.cumsum(_flip(x, ax), axis=ax), ax),
        return xp.cumsum(x, axis=ax),

    def backward(self, indexes, grad_outputs):
        return Cumsum(self.axis, not self.reverse).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        ax = self.axis % gy.ndim
        xp = _core.get_array_module(gy)
        if self.reverse:
            return xp.cumsum(gy, axis=ax),
        return _flip(xp.cumsum(_flip(gy, ax), axis=ax), ax),


def cumsum(x, axis=None):
    """Cumulative sum of array elements over a given axis.

    Args:
        x (Variable or array): float array of any shape.
        axis (int or None): axis along which to accumulate; ``None`` flattens ``x``
            first.

    Returns:
        Variable: the running sums, of the shape of ``x`` (1-D when ``axis`` is
        ``None``).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 2.], [3., 4.]], numpy.float32)
    >>> F.cumsum(x, axis=1).array
    array([[1., 3.],
           [3., 7.]], dtype=float32)
    >>> F.cumsum(x).array
    array([ 1.,  3.,  6., 10.], dtype=float32)
    """
    if axis is None:
        x = _util.as_variable(x)
        x = _util.reshape(x, (x.size,))
        axis = 0
    return Cumsum(axis).apply((x,))[0]


# ---- cumprod ------------------------------------------------------------------------


class Cumprod(FunctionNode):
    """Cumulative product along ``axis``.

    The gradient is computed by a backward scan, exact even where ``x`` has zeros.
    """

    def __init__(self, axis):
        self.axis = _check_axis_type('Cumprod', axis)

    def forward(self, inputs):
        x, = inputs
        _util.check_float('Cumprod', 'x', x)
        self._ax = _norm_axis('Cumprod', self.axis, x.ndim)
        self.retain_inputs((0,))
        self.retain_outputs((0,))
        xp = _core.get_array_module(x)
        return xp.cumprod(x, axis=self._ax),

    # gx[i] = prod_{j<i} x[j] * S[i],  S[i] = gy[i] + x[i+1] * S[i+1]
    def backward(self, indexes, grad_outputs):
        x, = self.get_retained_inputs()
        y, = self.get_retained_outputs()
        gy, = grad_outputs
        ax = self._ax
        if x.shape[ax] == 0:
            # an empty gradient, differentiable again (Chainer returns one)
            return gy * 0,
        xp = _core.get_array_module(x.array)
        e0 = one_hot_along(x.shape, x.dtype, ax, 0, xp)
        left = shift(y, ax, 1) + e0
        s = linear_recurrence(shift(x, ax, -1), gy, ax, reverse=True)
        return left * s,

    def backward_array(self, indexes, grad_outputs):
        x = self.inputs[0].data
        y = self.get_retained_output_arrays()[0]
        gy, = grad_outputs
        ax = self._ax
        if x.shape[ax] == 0:
            return gy * 0,
        left = _shift_array(y, ax, 1)
        idx = [slice(None)] * x.ndim
        idx[ax] = 0
        left[tuple(idx)] = 1
        s = _linrec_array(_shift_array(x, ax, -1), gy, ax, True)
        return left * s,


def cumprod(x, axis=None):
    """Cumulative product of array elements over a given axis.

    Args:
        x (Variable or array): float array of any shape.
        axis (int or None): axis along which to accumulate; ``None`` flattens ``x``
            first.

    Returns:
        Variable: the running products, of the shape of ``x`` (1-D when ``axis`` is
        ``None``).

    >>> import numpy, kusari.functions as F
    >>> x = numpy.array([[1., 2.], [3., 4.]], numpy.float32)
    >>> F.cumprod(x, axis=0).array
    array([[1., 2.],
           [3., 8.]], dtype=float32)
    >>> F.cumprod(x).array
    array([ 1.,  2.,  6., 24.], dtype=float32)
    """
    if axis is None:
        x = _util.as_variable(x)
        x = _util.reshape(x, (x.size,))
        axis = 0
    return Cumprod(axis).apply((x,))[0]
