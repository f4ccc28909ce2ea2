"""Fully-connected maxout layer."""
import numbers

import numpy

import kusari.functions as F
from kusari import initializer
from kusari import link
from kusari.links.connection import linear


def _is_array(x):
    return hasattr(x, 'shape') and hasattr(x, 'reshape') and not numpy.isscalar(x)


class _Reshaped(initializer.Initializer):
    """Calls an initializer on a view of the parameter in Maxout's own shape."""

    def __init__(self, init, shape):
        super().__init__(getattr(init, 'dtype', None))
        self.init = init
        self.shape = shape

    def __call__(self, array):
        # a fresh parameter array is contiguous: the reshape is a view of it
        self.init(array.reshape(self.shape))


class Maxout(link.Chain):
    """Fully-connected maxout layer: ``y_i = max_j (W_ij @ x + b_ij)``.

    Implemented as a :class:`Linear` child ``linear`` of output size
    ``out_size * pool_size`` followed by :func:`kusari.functions.maxout`.

    Args:
        in_size (int): Dimension of the input vectors.
        out_size (int): Dimension of the output vectors.
        pool_size (int): Number of linear pieces per output unit.
        initialW: Initializer of the weight; an array is reshaped to
            ``(out_size * pool_size, in_size)``, an initializer is called on an array
            of shape ``(out_size, pool_size, in_size)``.  ``None`` means LeCunNormal.
        initial_bias: A scalar (filled), an array (reshaped to
            ``(out_size * pool_size,)``), an initializer (called on an array of
            shape ``(out_size, pool_size)``) or ``None`` (no bias).  Default ``0``.

    >>> import kusari.links as L
    >>> L.Maxout(3, 2, 4).linear.W.shape
    (8, 3)
    """

    def __init__(self, in_size, out_size, pool_size, initialW=None, initial_bias=0):
        super().__init__()
        linear_out_size = out_size * pool_size
        # arrays and initializers see Chainer's shapes (out, pool, in) / (out, pool)
        if _is_array(initialW):
            if initialW.shape not in ((out_size, pool_size, in_size),
                                      (linear_out_size, in_size)):
                raise ValueError('Maxout: initialW must have shape %s, got %s'
                                 % ((out_size, pool_size, in_size), initialW.shape))
            initialW = initialW.reshape(linear_out_size, in_size)
        elif callable(initialW):
            initialW = _Reshaped(initialW, (out_size, pool_size, in_size))
        if initial_bias is not None:
            if _is_array(initial_bias):
                if initial_bias.shape not in ((out_size, pool_size), (linear_out_size,)):
                    raise ValueError('Maxout: initial_bias must have shape %s, got %s'
                                     % ((out_size, pool_size), initial_bias.shape))
                initial_bias = initial_bias.reshape(linear_out_size)
            elif callable(initial_bias):
                initial_bias = _Reshaped(initial_bias, (out_size, pool_size))
            elif not isinstance(initial_bias, numbers.Real):
                raise ValueError('Maxout: initial bias must be a scalar, an array, an '
                                 'initializer or None, got %s'
                                 % type(initial_bias).__name__)
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
