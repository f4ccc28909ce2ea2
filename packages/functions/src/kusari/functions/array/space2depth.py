from kusari import function_node
from kusari.functions.array.depth2space import Depth2Space, _check_r, _d2s, _s2d
from kusari.utils import type_check


class Space2Depth(function_node.FunctionNode):
    """Rearrange spatial blocks of size ``r x r`` into channels."""

    def __init__(self, r):
        self.r = _check_r('space2depth', r)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('X',))
        X = in_types[0]
        type_check.expect(X.dtype.kind == 'f', X.ndim == 4)
        type_check.expect(X.shape[2] % self.r == 0, X.shape[3] % self.r == 0)

    def forward(self, inputs):
        return _s2d(inputs[0], self.r),

    def backward(self, indexes, grad_outputs):
        return Depth2Space(self.r).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _d2s(grad_outputs[0], self.r),


def space2depth(X, r):
    """Space-to-depth transformation (the inverse of :func:`depth2space`).

    Output element ``y[b, (i * r + j) * C + c, h, w]`` is ``X[b, c, h * r + i, w * r + j]``.

    Args:
        X (Variable or ndarray): a float array of shape ``(B, C, H * r, W * r)``.
        r (int): the downscaling factor.

    Returns:
        ~kusari.Variable: the array of shape ``(B, C * r * r, H, W)``.

    >>> import numpy, kusari.functions as F
    >>> X = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    >>> y = F.space2depth(X, 2)
    >>> y.shape
    (1, 4, 2, 2)
    >>> y.array[0, :, 0, 0]
    array([0., 1., 4., 5.], dtype=float32)
    """
    return Space2Depth(r).apply((X,))[0]
