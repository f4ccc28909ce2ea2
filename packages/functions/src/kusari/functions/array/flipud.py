from kusari.functions.array.flip import Flip
from kusari.utils import type_check


class FlipUD(Flip):
    """Reverse the rows (axis 0) of an array with ``ndim >= 1``."""

    def __init__(self):
        super().__init__(0)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('a',))
        type_check.expect(in_types[0].ndim >= 1)

    def backward(self, indexes, grad_outputs):
        return FlipUD().apply(grad_outputs)

    backward_array = Flip.backward_array


def flipud(a):
    """Flip ``a`` in the up/down direction: reverse axis 0.

    Args:
        a (Variable or ndarray): an array with ``ndim >= 1``.

    Returns:
        ~kusari.Variable: ``a[::-1]``.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.arange(4, dtype=numpy.float32).reshape(2, 2)
    >>> F.flipud(a).array
    array([[2., 3.],
           [0., 1.]], dtype=float32)
    """
    return FlipUD().apply((a,))[0]
