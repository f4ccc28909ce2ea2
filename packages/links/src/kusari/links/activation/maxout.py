"""Fully-connected maxout layer."""
import numpy

import kusari.functions as F
from kusari import link
from kusari.initializers import _util as _array_util
from kusari.links.connection import linear


class Maxout(link.Chain):
    """Fully-connected maxout layer: ``y_i = max_j (W_ij @ x + b_ij)``.

    Implemented as a :class:`Linear` child ``linear`` of output size
    ``out_size * pool_size`` followed by :func:`kusari.functions.maxout`.

    Args:
        in_size (int): Dimension of the input vectors.
        out_size (int): Dimension of the output vectors.
        pool_size (int): Number of linear pieces per output unit.
        initialW: Initializer of the weight; an array is reshaped to
            ``(out_size * pool_size, in_size)``.  ``None`` means LeCunNormal.
        initial_bias: A scalar (filled), an array (reshaped to
            ``(out_size * pool_size,)``), or ``None`` (no bias).  Default ``0``.

    >>> import kusari.links as L
    >>> L.Maxout(3, 2, 4).linear.W.shape
    (8, 3)
    """

    def __init__(self, in_size, out_size, pool_size, initialW=None, initial_bias=0):
        super().__init__()
        linear_out_size = out_size * pool_size
        if _array_util.is_array(initialW):
            initialW = initialW.reshape(linear_out_size, in_size)
        if initial_bias is not None:
            if _array_util.is_scalar(initial_bias):
                initial_bias = numpy.full(
                    (linear_out_size,), initial_bias, dtype=numpy.float32)
            elif _array_util.is_array(initial_bias):
                initial_bias = initial_bias.reshape(linear_out_size)
            else:
                raise ValueError(
                    'Maxout: initial bias must be float, ndarray, or None')
        with self.init_scope():
            self.linear = linear.Linear(
                in_size, linear_out_size, nobias=initial_bias is None,
                initialW=initialW, initial_bias=initial_bias)
        self.out_size = out_size
        self.pool_size = pool_size

    def forward(self, x):
        """Apply the maxout layer.

        Args:
            x (~kusari.Variable or array): Input, ``(N, in_size)``.

        Returns:
            ~kusari.Variable: Output, ``(N, out_size)``.

        """
        y = self.linear(x)
        return F.maxout(y, self.pool_size)
