"""Minimal gated units (StatelessMGU, StatefulMGU)."""
import kusari
import kusari.functions as F
from kusari import link
from kusari import variable
from kusari.links.connection import linear
from kusari.links.rnn import lstm as lstm_module


class MGUBase(link.Chain):
    """Common part of the MGU links.

    ``W_f`` and ``W_h`` are ``Linear(in_size + out_size, out_size)``::

        f  = sigmoid(W_f [h; x])
        h~ = tanh(W_h [f * h; x])
        h' = (1 - f) * h + f * h~

    Args:
        in_size (int): Input dimension.
        out_size (int): Hidden dimension.
    """

    def __init__(self, in_size, out_size):
        super().__init__()
        with self.init_scope():
            self.W_f = linear.Linear(in_size + out_size, out_size)
            self.W_h = linear.Linear(in_size + out_size, out_size)

    def _call_mgu(self, h, x):
        f = F.sigmoid(self.W_f(F.concat([h, x])))
        h_bar = F.tanh(self.W_h(F.concat([f * h, x])))
        return F.linear_interpolate(f, h_bar, h)


class StatelessMGU(MGUBase):
    """Stateless minimal gated unit (see :class:`MGUBase`).

    >>> import kusari.links as L
    >>> L.StatelessMGU(3, 2).W_f.W.shape
    (2, 5)
    """

    def forward(self, h, x):
        """Compute one step.

        Args:
            h (~kusari.Variable or array): Previous hidden states, ``(N, out_size)``.
            x (~kusari.Variable or array): Inputs, ``(N, in_size)``.

        Returns:
            ~kusari.Variable: New hidden states, ``(N, out_size)``.

        """
        return self._call_mgu(h, x)


class StatefulMGU(MGUBase):
    """Stateful minimal gated unit: keeps ``h`` (zeros before the first step).

    Attributes:
        h (~kusari.Variable): The hidden state (``None`` after :meth:`reset_state`).

    >>> import kusari.links as L
    >>> L.StatefulMGU(3, 2).h is None
    True
    """

    def __init__(self, in_size, out_size):
        super().__init__(in_size, out_size)
        self._state_size = out_size
        self.reset_state()

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        if self.h is not None:
            visitor.visit_variable(self.h)

    def set_state(self, h):
        """Set the hidden state ``h`` (a Variable, moved to this link's device)."""
        lstm_module._check_variable('StatefulMGU', 'h', h)
        h.to_device(self.device)
        self.h = h

    def reset_state(self):
        """Set ``h`` to ``None``."""
        self.h = None

    def forward(self, x):
        """Update the hidden state with one step and return it.

        Args:
            x (~kusari.Variable or array): Inputs, ``(N, in_size)``.

        Returns:
            ~kusari.Variable: New hidden states, ``(N, out_size)``.

        """
        if self.h is None:
            with kusari.backend.using_device(self.device):
                h = variable.Variable(
                    self.xp.zeros((x.shape[0], self._state_size), dtype=x.dtype))
        else:
            h = self.h
        self.h = self._call_mgu(h, x)
        return self.h
