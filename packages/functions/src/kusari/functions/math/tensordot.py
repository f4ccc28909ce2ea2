"""Tensor dot product along given axes: :func:`tensordot`."""
import numpy

from kusari import _core
from kusari._core import FunctionNode
from kusari.functions.math import _util


def _inverse(perm):
    return tuple(numpy.argsort(perm).tolist())


class TensorDot(FunctionNode):
    """Sum-product of ``a`` and ``b`` over paired axes (``numpy.tensordot``).

    The output's axes are the free axes of ``a`` followed by those of ``b``.

    Args:
        a_axes (tuple of int): contracted axes of ``a`` (non-negative).
        b_axes (tuple of int): the paired contracted axes of ``b``.
    """

    def __init__(self, a_axes, b_axes):
        self.a_axes = tuple(a_axes)
        self.b_axes = tuple(b_axes)

    def forward(self, inputs):
        a, b = inputs
        self.retain_inputs((0, 1))
        xp = _core.get_array_module(a)
        return _util.force_array(xp.tensordot(a, b, (self.a_axes, self.b_axes)), xp),

    def _plan(self):
        na = len(self.inputs[0].shape)
        nb = len(self.inputs[1].shape)
        a_free = [i for i in range(na) if i not in self.a_axes]
        b_free = [i for i in range(nb) if i not in self.b_axes]
        nfa = len(a_free)
        g_b = tuple(range(nfa, nfa + len(b_free)))   # gy axes that belong to b
        g_a = tuple(range(nfa))
        # ga = tensordot(gy, b, (g_b, b_free)): axes a_free + b's remaining axes,
        # which are b's contracted axes in increasing order.
        order_b = sorted(range(len(self.b_axes)), key=lambda k: self.b_axes[k])
        perm_a = tuple(a_free) + tuple(self.a_axes[k] for k in order_b)
        # gb = tensordot(a, gy, (a_free, g_a)): axes a's contracted ones (increasing)
        # then b_free.
        order_a = sorted(range(len(self.a_axes)), key=lambda k: self.a_axes[k])
        perm_b = tuple(self.b_axes[k] for k in order_a) + tuple(b_free)
        return (g_b, tuple(b_free), _inverse(perm_a)), (tuple(a_free), g_a,
                                                         _inverse(perm_b))

    def backward(self, indexes, grad_outputs):
        a, b = self.get_retained_inputs()
        gy, = grad_outputs
        pa, pb = self._plan()
        ret = []
        for i in indexes:
            if i == 0:
                g = TensorDot(pa[0], pa[1]).apply((gy, b))[0]
                ret.append(_core.Transpose(pa[2]).apply((g,))[0])
            else:
                g = TensorDot(pb[0], pb[1]).apply((a, gy))[0]
                ret.append(_core.Transpose(pb[2]).apply((g,))[0])
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        a, b = self.inputs[0].data, self.inputs[1].data
        gy, = grad_outputs
        xp = _core.get_array_module(gy)
        pa, pb = self._plan()
        ret = []
        for i in indexes:
            if i == 0:
                g = xp.tensordot(gy, b, (pa[0], pa[1])).transpose(pa[2])
            else:
                g = xp.tensordot(a, gy, (pb[0], pb[1])).transpose(pb[2])
            ret.append(g if g.flags.c_contiguous else g.copy())
        return tuple(ret)


def _norm_axes(func, axes, na, nb):
    if isinstance(axes, (int, numpy.integer)) and not isinstance(axes, bool):
        n = int(axes)
        if n < 0 or n > na or n > nb:
            raise _util.invalid(func, '0 <= axes <= min(a.ndim, b.ndim)',
                                'axes == %d, a.ndim == %d, b.ndim == %d' % (n, na, nb))
        return tuple(range(na - n, na)), tuple(range(n))
    if isinstance(axes, (tuple, list)) and len(axes) == 2:
        aa, ba = axes
        aa = (aa,) if numpy.isscalar(aa) else tuple(aa)
        ba = (ba,) if numpy.isscalar(ba) else tuple(ba)
        if len(aa) != len(ba):
            raise ValueError('%s: axes to sum over must have the same length, got %r'
                             % (func, axes))
        out = []
        for lst, nd, name in ((aa, na, 'a'), (ba, nb, 'b')):
            r = []
            for ax in lst:
                if not -nd <= ax < nd:
                    raise ValueError('%s: axis %d of %s is out of [-%d, %d)'
                                     % (func, ax, name, nd, nd))
                r.append(int(ax) % nd)
            if len(set(r)) != len(r):
                raise ValueError('%s: repeated axis of %s in axes %r' % (func, name, axes))
            out.append(tuple(r))
        return tuple(out)
    if isinstance(axes, (tuple, list)):
        raise ValueError('%s: axes must be an int or a pair of sequences of ints, got '
                         '%r' % (func, axes))
    raise TypeError('%s: axes must be an int or a pair of sequences of ints, got %r'
                    % (func, axes))


def tensordot(a, b, axes=2):
    """Tensor dot product of two arrays along the given axes.

    Args:
        a (Variable or array): float array.
        b (Variable or array): float array (mixed float dtypes are computed in the
            promoted dtype, as in Chainer).
        axes (int or pair of sequences of int): an int ``n`` contracts the last ``n``
            axes of ``a`` with the first ``n`` of ``b``; a pair ``(a_axes, b_axes)``
            contracts the listed axes pairwise.

    Returns:
        Variable: the product; its axes are the free axes of ``a`` then of ``b``.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.ones((5, 3, 2), numpy.float32)
    >>> b = numpy.ones((3, 2, 4), numpy.float32)
    >>> F.tensordot(a, b, axes=2).shape
    (5, 4)
    >>> F.tensordot(a, b, axes=([1], [0])).shape
    (5, 2, 2, 4)
    """
    a = _util.as_variable(a)
    b = _util.as_variable(b)
    _util.check_float('tensordot', 'a', a.array)
    _util.check_float('tensordot', 'b', b.array)
    a_axes, b_axes = _norm_axes('tensordot', axes, a.ndim, b.ndim)
    for i, j in zip(a_axes, b_axes):
        if a.shape[i] != b.shape[j]:
            # Chainer (and NumPy) raise ValueError for a shape mismatch
            raise ValueError('tensordot: shape-mismatch for sum: a.shape[%d] == %d, '
                             'b.shape[%d] == %d' % (i, a.shape[i], j, b.shape[j]))
    a, b = _util.promote(a, b)
    return TensorDot(a_axes, b_axes).apply((a, b))[0]
