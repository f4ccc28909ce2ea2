"""Broadcasted addition of a learnable bias."""
import kusari.functions as F
from kusari import link
from kusari import variable
from kusari.links import _util


class Bias(link.Link):
    """Broadcasted elementwise summation with a learnable bias.

    Computes ``x + b`` where ``b`` is broadcast to ``x`` starting at ``axis``
    (see :func:`kusari.functions.bias`).

    Args:
        axis (int): The first axis of ``x`` along which ``b`` is applied.
        shape (tuple of ints): Shape of the learnable bias ``b`` (zero-initialized).
            If ``None``, the link has no parameter and the bias is given as the
            second argument of :meth:`forward`.

    >>> import numpy, kusari.links as L
    >>> l = L.Bias(shape=(3,))
    >>> l.b.array
    array([0., 0., 0.], dtype=float32)
    """

    def __init__(self, axis=1, shape=None):
        super().__init__()
        self.axis = axis
        if shape is not None:
            with self.init_scope():
                self.b = variable.Parameter(0, shape)

    def forward(self, *xs):
        """Apply the bias.

        Args:
            xs: ``(x,)`` when the link has the parameter ``b``, else ``(x, b)``.

        Returns:
            ~kusari.Variable: ``x`` plus the broadcast bias.

        """
        if hasattr(self, 'b'):
            if len(xs) != 1:
                raise _util.InvalidArgumentCount(
                    'Bias: expected 1 input (x) when the bias is a parameter, but got '
                    '{}'.format(len(xs)))
            x, = xs
            b = self.b
        else:
            if len(xs) != 2:
                raise _util.InvalidArgumentCount(
                    'Bias: expected 2 inputs (x, b) when the link has no bias '
                    'parameter, but got {}'.format(len(xs)))
            x, b = xs
        return F.bias(x, b, self.axis)
