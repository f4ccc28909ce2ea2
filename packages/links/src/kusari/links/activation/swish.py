"""Swish activation with a learnable beta."""
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util


class Swish(link.Link):
    """Swish activation: ``y = x * sigmoid(beta * x)`` with a learnable ``beta``.

    Wraps :func:`kusari.functions.swish`.

    Args:
        beta_shape (tuple of ints or None): Shape of ``beta``; ``None`` defers it
            to the first call, where it becomes ``x.shape[1:]``.
        beta_init (float): Initial value of ``beta``.

    >>> import numpy, kusari.links as L
    >>> l = L.Swish(None)
    >>> l.beta.array is None
    True
    >>> y = l(numpy.zeros((2, 3), numpy.float32))
    >>> l.beta.shape
    (3,)
    """

    def __init__(self, beta_shape, beta_init=1.0):
        super().__init__()
        with self.init_scope():
            if beta_shape is not None:
                self.beta = variable.Parameter(beta_init, beta_shape)
            else:
                self.beta = variable.Parameter(initializers.Constant(beta_init))

    def forward(self, x):
        """Apply Swish.

        Args:
            x (~kusari.Variable or array): Input, ``(N, ...)``.

        Returns:
            ~kusari.Variable: Output of the shape of ``x``.

        """
        shape = _util.check_min_ndim('Swish', x, 1)
        if self.beta.array is None:
            self.beta.initialize(shape[1:])
        else:
            bshape = self.beta.shape
            if tuple(shape[1:1 + len(bshape)]) != tuple(bshape):
                raise _util.invalid('Swish', 'x.shape[1:{}] == beta.shape == {}'.format(
                    1 + len(bshape), bshape), 'x.shape == {}'.format(shape))
        return F.swish(x, self.beta)
