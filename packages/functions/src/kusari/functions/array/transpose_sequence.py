from kusari import backend
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _transpose(xs, length):
    """The ``length`` arrays ``y[p] = stack([x[p] for x in xs if len(x) > p])``."""
    xp = backend.get_array_module(*xs)
    empty = (0,) + xs[0].shape[1:]
    return tuple(xp.stack(rows) if rows else xp.empty(empty, xs[0].dtype)
                 for rows in ([x[p] for x in xs if len(x) > p] for p in range(length)))


class TransposeSequence(function_node.FunctionNode):
    """Transpose a list of sequences sorted by decreasing length."""

    def __init__(self, length):
        self._length = length

    def check_type_forward(self, in_types):
        for i, t in enumerate(in_types):
            type_check._argname((t,), ('xs[%d]' % i,))
            type_check.expect(t.ndim >= 1)
        for p, n in zip(in_types, in_types[1:]):
            type_check.expect(
                p.shape[0] >= n.shape[0],
                p.shape[1:] == n.shape[1:],
                p.dtype == n.dtype,
            )

    def forward(self, inputs):
        if not inputs:
            return ()
        return _transpose(inputs, self._length)

    def _grads(self, grad_outputs):
        xp = backend.get_array_module(*[g for g in grad_outputs if g is not None])
        n0 = self.inputs[0]
        unit = n0.shape[1:]
        out = []
        for p, g in enumerate(grad_outputs):
            if g is None:
                count = sum(1 for n in self.inputs if n.shape[0] > p)
                g = xp.zeros((count,) + unit, n0.dtype)
            out.append(g)
        return tuple(out)

    def backward(self, indexes, grad_outputs):
        return TransposeSequence(len(self.inputs)).apply(self._grads(grad_outputs))

    def backward_array(self, indexes, grad_outputs):
        return _transpose(self._grads(grad_outputs), len(self.inputs))


def transpose_sequence(xs):
    """Transpose a list of sequences.

    Given sequences ``xs`` sorted by decreasing length, returns ``ys`` with
    ``ys[p][i] = xs[i][p]``: ``ys[p]`` gathers the ``p``-th element of every sequence
    longer than ``p``.  For example ``[(0, 1, 2, 3), (4, 5), (6,)]`` becomes
    ``[(0, 4, 6), (1, 5), (2,), (3,)]``.

    Args:
        xs (list of Variable or ndarray): arrays of shapes ``(l_i, ...)`` with
            ``l_0 >= l_1 >= ...``, agreeing in the other axes and the dtype.

    Returns:
        tuple of Variables: ``l_0`` arrays; ``ys[p]`` has shape ``(n_p, ...)`` where
        ``n_p`` is the number of sequences longer than ``p``.

    >>> import numpy, kusari.functions as F
    >>> xs = [numpy.array([1, 1, 1], numpy.float32), numpy.array([2, 2], numpy.float32),
    ...       numpy.array([3], numpy.float32)]
    >>> for y in F.transpose_sequence(xs):
    ...     print(y.array)
    [1. 2. 3.]
    [1. 2.]
    [1.]
    """
    xs = list(xs)
    if not xs:
        return ()
    return TransposeSequence(len(_util.as_array(xs[0]))).apply(tuple(xs))
