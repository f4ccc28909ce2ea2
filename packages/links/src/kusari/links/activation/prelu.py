"""Parametric ReLU."""
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import variable
from kusari.links import _util


class PReLU(link.Link):
    """Parametric ReLU: ``y = max(x, W x)``, ``W`` broadcast from axis 1.

    Wraps :func:`kusari.functions.prelu`.

    Args:
        shape (tuple of ints): Shape of the parameter ``W`` (``()`` for one slope
            shared by all elements).
        init: Initial value of ``W`` (default ``0.25``).

    >>> import numpy, kusari.links as L
    >>> l = L.PReLU()
    >>> l(numpy.array([[-2., 1.]], numpy.float32)).array
    array([[-0.5,  1. ]], dtype=float32)
    """

    def __init__(self, shape=(), init=0.25):
        super().__init__()
        with self.init_scope():
            self.W = variable.Parameter(initializers._get_initializer(init), shape)

    def forward(self, x):
        """Apply the parametric ReLU.

        Args:
            x (~kusari.Variable or array): Input; ``x.shape[1:1 + W.ndim]`` must
                equal ``W.shape``.

        Returns:
            ~kusari.Variable: Output of the shape of ``x``.

        """
        shape = _util.shape_of(x)
        wshape = self.W.shape
        if tuple(shape[1:1 + len(wshape)]) != tuple(wshape):
            raise _util.invalid('PReLU', 'x.shape[1:{}] == W.shape == {}'.format(
                1 + len(wshape), wshape), 'x.shape == {}'.format(shape))
        return F.prelu(x, self.W)
