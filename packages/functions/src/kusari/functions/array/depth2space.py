from kusari import function_node
from kusari.functions.array import _util
from kusari.utils import type_check


def _check_r(func, r):
    if not _util.is_int(r) or r <= 0:
        raise ValueError('%s: r must be a positive int, got %r' % (func, r))
    return int(r)


def _d2s(X, r):
    # (B, r*r*C, H, W) -> (B, C, H*r, W*r); channel (i*r + j)*C + c feeds pixel
    # (h*r + i, w*r + j) of channel c.
    b, c, h, w = X.shape
    c //= r * r
    X = X.reshape(b, r, r, c, h, w)
    X = X.transpose(0, 3, 4, 1, 5, 2)
    return X.reshape(b, c, h * r, w * r)


def _s2d(X, r):
    # the inverse of _d2s
    b, c, h, w = X.shape
    h //= r
    w //= r
    X = X.reshape(b, c, h, r, w, r)
    X = X.transpose(0, 3, 5, 1, 2, 4)
    return X.reshape(b, r * r * c, h, w)


class Depth2Space(function_node.FunctionNode):
    """Rearrange channels into spatial blocks of size ``r x r``."""

    def __init__(self, r):
        self.r = _check_r('depth2space', r)

    def check_type_forward(self, in_types):
        type_check._argname(in_types, ('X',))
        X = in_types[0]
        type_check.expect(X.dtype.kind == 'f', X.ndim == 4)
        type_check.expect(X.shape[1] % (self.r * self.r) == 0)

    def forward(self, inputs):
        return _d2s(inputs[0], self.r),

    def backward(self, indexes, grad_outputs):
        from kusari.functions.array.space2depth import Space2Depth
        return Space2Depth(self.r).apply(grad_outputs)

    def backward_array(self, indexes, grad_outputs):
        return _s2d(grad_outputs[0], self.r),


def depth2space(X, r):
    """Depth-to-space transformation (the pixel shuffle of sub-pixel convolution).

    Output element ``y[b, c, h * r + i, w * r + j]`` is
    ``X[b, (i * r + j) * C + c, h, w]`` where ``C`` is the number of output channels.

    Args:
        X (Variable or ndarray): a float array of shape ``(B, C * r * r, H, W)``.
        r (int): the upscaling factor.

    Returns:
        ~kusari.Variable: the array of shape ``(B, C, H * r, W * r)``.

    .. seealso:: :func:`space2depth`, its inverse.

    >>> import numpy, kusari.functions as F
    >>> X = numpy.arange(24, dtype=numpy.float32).reshape(1, 4, 2, 3)
    >>> y = F.depth2space(X, 2)
    >>> y.shape
    (1, 1, 4, 6)
    >>> y.array[0, 0]
    array([[ 0.,  6.,  1.,  7.,  2.,  8.],
           [12., 18., 13., 19., 14., 20.],
           [ 3.,  9.,  4., 10.,  5., 11.],
           [15., 21., 16., 22., 17., 23.]], dtype=float32)
    """
    return Depth2Space(r).apply((X,))[0]
