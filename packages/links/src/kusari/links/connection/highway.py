"""Highway module."""
import kusari.functions as F
from kusari import link
from kusari.links import _util
from kusari.links.connection import linear


class Highway(link.Chain):
    """Highway module: ``y = h(x) * t(x) + x * (1 - t(x))``.

    ``h(x) = activate(plain(x))`` and ``t(x) = sigmoid(transform(x))``, where
    ``plain`` and ``transform`` are :class:`Linear` links of size
    ``in_out_size -> in_out_size``.

    Args:
        in_out_size (int): Dimension of the input and output vectors.
        nobias (bool): If ``True``, the two linear links have no bias.
        activate: Activation function of the plain path (default ``F.relu``).
        init_Wh: Initializer of ``plain.W``; ``None`` means LeCunNormal.
        init_Wt: Initializer of ``transform.W``; ``None`` means LeCunNormal.
        init_bh: Initializer of ``plain.b``; ``None`` means zero.
        init_bt: Initializer of ``transform.b`` (default ``-1``, so that the gate
            starts mostly closed and carries the input).

    >>> import kusari.links as L
    >>> l = L.Highway(3)
    >>> l.plain.W.shape, l.transform.b.array
    ((3, 3), array([-1., -1., -1.], dtype=float32))
    """

    def __init__(self, in_out_size, nobias=False, activate=_util.function('relu'),
                 init_Wh=None, init_Wt=None, init_bh=None, init_bt=-1):
        super().__init__()
        self.activate = activate
        with self.init_scope():
            self.plain = linear.Linear(in_out_size, in_out_size, nobias=nobias,
                                       initialW=init_Wh, initial_bias=init_bh)
            self.transform = linear.Linear(in_out_size, in_out_size, nobias=nobias,
                                           initialW=init_Wt, initial_bias=init_bt)

    def forward(self, x):
        """Apply the highway module.

        Args:
            x (~kusari.Variable or array): Input, ``(N, in_out_size)``.

        Returns:
            ~kusari.Variable: Output, ``(N, in_out_size)``.

        """
        out_plain = self.activate(self.plain(x))
        out_transform = F.sigmoid(self.transform(x))
        return out_plain * out_transform + (1 - out_transform) * x
