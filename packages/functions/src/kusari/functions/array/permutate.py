
from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _check_permutation(indices):
    xp = backend.get_array_module(indices)
    n = len(indices)
    if n == 0:
        return
    ok = bool((xp.sort(indices) == xp.arange(n, dtype=indices.dtype)).all())
    if not ok:
        raise ValueError('permutate: indices must be a permutation of 0..%d, got %s'
                         % (n - 1, backend.to_cpu(indices)))


def _inverse(indices):
    xp = backend.get_array_module(indices)
    inv = xp.empty_like(indices)
    inv[indices] = xp.arange(len(indices), dtype=indices.dtype)
    return inv


class Permutate(function_node.FunctionNode):
    """Permute the entries along an axis: ``y[i] = x[indices[i]]`` (or the inverse)."""

    def __init__(self, axis=0, inv=False):
        if not _util.is_int(axis):
            raise TypeError('permutate: axis must be an int, got %r' % (axis,))
        self.axis = int(axis)
        self.inv = bool(inv)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('x', 'indices'))
        x, ind = in_types
        if self.axis < 0:
            type_check.expect(x.ndim >= -self.axis)
        else:
            type_check.expect(x.ndim > self.axis)
        type_check.expect(
            ind.dtype.kind == 'i',
            ind.ndim == 1,
            x.shape[self.axis] == ind.shape[0],
        )

    def forward(self, inputs):
        x, indices = inputs
        _check_permutation(indices)
        xp = backend.get_array_module(x)
        self._indices = indices
        ind = _inverse(indices) if self.inv else indices
        return xp.take(x, ind, axis=self.axis),

    def backward(self, indexes, grad_outputs):
        gx, = Permutate(self.axis, not self.inv).apply(
            (grad_outputs[0], self._indices))
        return gx, None

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        xp = backend.get_array_module(gy)
        ind = self._indices if self.inv else _inverse(self._indices)
        return xp.take(gy, ind, axis=self.axis), None


def permutate(x, indices, axis=0, inv=False):
    """Permute ``x`` along an axis: ``y[i] = x[indices[i]]``.

    With ``inv=True`` the inverse permutation is applied: ``y[indices[i]] = x[i]``.

    Args:
        x (Variable or ndarray): the array to permute.
        indices (Variable or ndarray): a 1-D int array, a permutation of
            ``0, ..., x.shape[axis] - 1`` (checked; a ValueError otherwise).
        axis (int): the axis to permute along.
        inv (bool): apply the inverse permutation.

    Returns:
        ~kusari.Variable: the permuted array.

    >>> import numpy, kusari.functions as F
    >>> x = numpy.arange(6, dtype=numpy.float32).reshape(3, 2)
    >>> indices = numpy.array([2, 0, 1], numpy.int32)
    >>> F.permutate(x, indices).array
    array([[4., 5.],
           [0., 1.],
           [2., 3.]], dtype=float32)
    >>> F.permutate(x, indices, inv=True).array
    array([[2., 3.],
           [4., 5.],
           [0., 1.]], dtype=float32)
    """
    return Permutate(axis, inv).apply((x, indices))[0]
