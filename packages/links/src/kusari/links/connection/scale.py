"""Broadcasted multiplication by a learnable scale."""
import kusari.functions as F
from kusari import link
from kusari import variable
from kusari.links.connection import bias as bias_module
from kusari.links import _util


class Scale(link.Chain):
    """Broadcasted elementwise product with a learnable scale (and optional bias).

    Computes ``x * W`` (``W`` broadcast from ``axis``, see
    :func:`kusari.functions.scale`), then adds a :class:`Bias` when ``bias_term``.

    Args:
        axis (int): The first axis of ``x`` along which ``W`` is applied.
        W_shape (tuple of ints): Shape of the learnable scale ``W`` (initialized to
            one).  If ``None``, ``W`` is given as the second argument of
            :meth:`forward`.
        bias_term (bool): Whether to add a learnable bias (child link ``bias``).
        bias_shape (tuple of ints): Shape of the bias; used (and required) when
            ``W_shape`` is ``None`` and ``bias_term`` is ``True``.

    >>> import numpy, kusari.links as L
    >>> l = L.Scale(W_shape=(2,), bias_term=True)
    >>> l.W.array, l.bias.b.array
    (array([1., 1.], dtype=float32), array([0., 0.], dtype=float32))
    """

    def __init__(self, axis=1, W_shape=None, bias_term=False, bias_shape=None):
        super().__init__()
        self.axis = axis
        with self.init_scope():
            if W_shape is not None:
                self.W = variable.Parameter(1, W_shape)
                if bias_term:
                    self.bias = bias_module.Bias(axis, W_shape)
            elif bias_term:
                if bias_shape is None:
                    raise ValueError(
                        'Scale: bias_shape should be given if W is not learnt '
                        'parameter and bias_term is True.')
                self.bias = bias_module.Bias(axis, bias_shape)

    def forward(self, *xs):
        """Apply the scale (and the bias).

        Args:
            xs: ``(x,)`` when the link has the parameter ``W``, else ``(x, W)``.

        Returns:
            ~kusari.Variable: The scaled (and shifted) input.

        """
        if hasattr(self, 'W'):
            if len(xs) != 1:
                raise _util.InvalidArgumentCount(
                    'Scale: expected 1 input (x) when W is a parameter, but got '
                    '{}'.format(len(xs)))
            x, = xs
            z = F.scale(x, self.W, self.axis)
        else:
            if len(xs) != 2:
                raise _util.InvalidArgumentCount(
                    'Scale: expected 2 inputs (x, W) when the link has no W '
                    'parameter, but got {}'.format(len(xs)))
            x, y = xs
            z = F.scale(x, y, self.axis)
        if hasattr(self, 'bias'):
            return self.bias(z)
        return z
