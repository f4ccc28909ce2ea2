from kusari import _core
from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


class ScatterAdd(function_node.FunctionNode):
    """``y = a.copy(); y[slices] += b``, adding up repeated indices."""

    def __init__(self, slices):
        self.slices = _util.normalize_slices(slices)
        if sum(1 for s in self.slices if s is Ellipsis) > 1:
            raise ValueError('scatter_add: only one Ellipsis is allowed in slices')

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('a', 'b'))
        a, b = in_types
        type_check.expect(a.dtype == b.dtype)
        n_index = len([s for s in self.slices if s is not None and s is not Ellipsis])
        type_check.expect(a.ndim >= n_index)

    def forward(self, inputs):
        a, b = inputs
        try:
            target = a[self.slices]
        except IndexError as e:
            _util.invalid('ScatterAdd', 'valid slices for a.shape == %s' % (a.shape,),
                          str(e))
        if target.shape != b.shape:
            raise ValueError('scatter_add: b must have the shape of a[slices], %s, got '
                             '%s (no broadcasting)' % (target.shape, b.shape))
        y = a.copy()
        _util.scatter_add(y, self.slices, b)
        return y,

    def backward(self, indexes, grad_outputs):
        gy, = grad_outputs
        ret = []
        for i in indexes:
            ret.append(gy if i == 0 else _core.GetItem(self.slices).apply((gy,))[0])
        return tuple(ret)

    def backward_array(self, indexes, grad_outputs):
        gy, = grad_outputs
        xp = _core.get_array_module(gy)
        return tuple(gy if i == 0 else xp.asarray(gy[self.slices]) for i in indexes)


def scatter_add(a, slices, b):
    """Add ``b`` to the elements ``slices`` of a copy of ``a``.

    ``a`` itself is not changed.  Indices that appear several times in ``slices``
    receive several additions (as :func:`numpy.add.at`).

    Args:
        a (Variable or ndarray): the base array.
        slices: an int, slice, ``Ellipsis``, ``None``, integer array, boolean array, or
            a tuple of them.
        b (Variable or ndarray): the values to add; its shape must equal that of
            ``a[slices]`` (no broadcasting).

    Returns:
        ~kusari.Variable: the sum.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.zeros((2, 3), numpy.float32)
    >>> b = numpy.array([1, 2, 3], numpy.float32)
    >>> F.scatter_add(a, ([0, 1, 1], [0, 2, 2]), b).array
    array([[1., 0., 0.],
           [0., 0., 5.]], dtype=float32)
    """
    return ScatterAdd(slices).apply((a, b))[0]
