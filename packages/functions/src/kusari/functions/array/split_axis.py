import numpy

from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class SplitAxis(function_node.FunctionNode):
    """Split an array into several along an axis (the inverse of :class:`Concat`).

    Args:
        indices_or_sections (int or sequence of ints): the number of equal parts, or
            the (sorted) positions where to split.
        axis (int): the axis to split.
    """

    def __init__(self, indices_or_sections, axis):
        if _util.is_int(indices_or_sections):
            if indices_or_sections <= 0:
                raise ValueError('split_axis: the number of sections must be positive, '
                                 'got %d' % indices_or_sections)
            ios = int(indices_or_sections)
        else:
            try:
                ios = [int(i) if _util.is_int(i) else i for i in indices_or_sections]
            except TypeError:
                raise TypeError('split_axis: indices_or_sections must be an int or a '
                                '1-D sequence of ints, got %r'
                                % (indices_or_sections,)) from None
            if not all(_util.is_int(i) for i in ios):
                raise TypeError('split_axis: indices_or_sections must contain ints, '
                                'got %r' % (indices_or_sections,))
            if any(p > n for p, n in zip(ios, ios[1:])):
                raise ValueError('split_axis: indices_or_sections must be sorted, got '
                                 '%r' % (ios,))
        if not _util.is_int(axis):
            _util.invalid('SplitAxis', 'axis is an int', 'axis is %r' % (axis,))
        self.indices_or_sections = ios
        self.axis = axis

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x',))
        x = in_types[0]
        if self.axis < 0:
            type_check.expect(x.ndim >= -self.axis)
        else:
            type_check.expect(x.ndim > self.axis)
        axis = self.axis % type_check.eval(x.ndim)
        if isinstance(self.indices_or_sections, int):
            sections = type_check.make_variable(self.indices_or_sections, 'sections')
            type_check.expect(x.shape[axis] % sections == 0)

    def forward(self, inputs):
        x, = inputs
        xp = backend.get_array_module(x)
        self._axis = self.axis % x.ndim
        ys = tuple(xp.split(x, self.indices_or_sections, axis=self._axis))
        self._shapes = [y.shape for y in ys]
        return ys

    def _grads(self, grad_outputs, xp):
        dtype = self.inputs[0].dtype
        return [xp.zeros(s, dtype) if g is None else g
                for g, s in zip(grad_outputs, self._shapes)]

    def backward(self, indexes, grad_outputs):
        from kusari.functions.array.concat import Concat
        xp = backend.get_array_module(*[g for g in grad_outputs if g is not None])
        return Concat(self._axis).apply(tuple(self._grads(grad_outputs, xp)))

    def backward_array(self, indexes, grad_outputs):
        xp = backend.get_array_module(*[g for g in grad_outputs if g is not None])
        return xp.concatenate(self._grads(grad_outputs, xp), axis=self._axis),


def split_axis(x, indices_or_sections, axis, force_tuple=True):
    """Split ``x`` into several variables along an axis.

    Args:
        x (Variable or ndarray): the array to split.
        indices_or_sections (int or 1-D sequence of ints): an int ``N`` divides ``x``
            into ``N`` equal parts along ``axis`` (the axis length must be divisible by
            ``N``); a sorted sequence gives the positions where to split, as in
            :func:`numpy.split`.
        axis (int): the axis to split along.
        force_tuple (bool): return a tuple even when there is one part; otherwise a
            single part is returned as a Variable.

    Returns:
        tuple of Variables (or one Variable, see ``force_tuple``): the parts, views of
        ``x``.  Parts that get no gradient count as zeros in backward.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    >>> a, b = F.split_axis(x, [1], axis=1)
    >>> a.array
    array([[0.],
           [3.]], dtype=float32)
    >>> b.shape
    (2, 2)
    """
    if isinstance(indices_or_sections, numpy.ndarray):
        indices_or_sections = indices_or_sections.tolist()
    res = SplitAxis(indices_or_sections, axis).apply((x,))
    if force_tuple or len(res) != 1:
        return res
    return res[0]
