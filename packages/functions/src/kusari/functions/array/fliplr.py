from kusari.functions.array.flip import Flip
from kusari.utils import type_check


class FlipLR(Flip):
    """Reverse the columns (axis 1) of an array with ``ndim >= 2``."""

    def __init__(self):
        super().__init__(1)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('a',))
        type_check.expect(in_types[0].ndim >= 2)

    def backward(self, indexes, grad_outputs):
        return FlipLR().apply(grad_outputs)

    backward_array = Flip.backward_array


def fliplr(a):
    """Flip ``a`` in the left/right direction: reverse axis 1.

    Args:
        a (Variable or ndarray): an array with ``ndim >= 2``.

    Returns:
        ~kusari.Variable: ``a[:, ::-1]``.

    >>> import numpy, kusari.functions as F
    >>> a = numpy.arange(4, dtype=numpy.float32).reshape(2, 2)
    >>> F.fliplr(a).array
    array([[1., 0.],
           [3., 2.]], dtype=float32)
    """
    return FlipLR().apply((a,))[0]
