"""Fully-connected LSTM layer with peephole connections."""
import kusari
import kusari.functions as F
from kusari import link
from kusari import variable
from kusari.links.connection import linear
from kusari.links.rnn import lstm as lstm_module


def _split_gates(lstm_in, n):
    # (N, 4n) interleaved per unit -> a, i, f, o, each (N, n).
    r = lstm_in.reshape((lstm_in.shape[0], n, 4))
    return [r[:, :, k] for k in range(4)]


class StatefulPeepholeLSTM(link.Chain):
    """Fully-connected LSTM layer with peephole connections.

    With ``g = upward(x) + lateral(h)`` split into the gate pre-activations
    ``a, i, f, o`` (interleaved per unit as in :func:`kusari.functions.lstm`)::

        a  = tanh(a)
        i  = sigmoid(i + peep_i(c))
        f  = sigmoid(f + peep_f(c))
        c' = a * i + f * c
        o  = sigmoid(o + peep_o(c'))
        h' = o * tanh(c')

    Args:
        in_size (int): Dimension of the input.
        out_size (int): Dimension of the states.

    Attributes:
        upward (~kusari.links.Linear): ``Linear(in_size, 4 * out_size)``.
        lateral (~kusari.links.Linear): ``Linear(out_size, 4 * out_size, nobias=True)``.
        peep_i, peep_f, peep_o (~kusari.links.Linear):
            ``Linear(out_size, out_size, nobias=True)`` peephole connections.
        c (~kusari.Variable): Cell states.
        h (~kusari.Variable): Outputs of the current step.

    >>> import kusari.links as L
    >>> l = L.StatefulPeepholeLSTM(3, 2)
    >>> l.peep_i.W.shape
    (2, 2)
    """

    def __init__(self, in_size, out_size):
        super().__init__()
        self.state_size = out_size
        self.reset_state()
        with self.init_scope():
            self.upward = linear.Linear(in_size, 4 * out_size)
            self.lateral = linear.Linear(out_size, 4 * out_size, nobias=True)
            self.peep_i = linear.Linear(out_size, out_size, nobias=True)
            self.peep_f = linear.Linear(out_size, out_size, nobias=True)
            self.peep_o = linear.Linear(out_size, out_size, nobias=True)

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        if self.c is not None:
            visitor.visit_variable(self.c)
        if self.h is not None:
            visitor.visit_variable(self.h)

    def set_state(self, c, h):
        """Set the states ``c`` and ``h`` (Variables, moved to this link's device)."""
        lstm_module._check_variable('StatefulPeepholeLSTM', 'c', c)
        lstm_module._check_variable('StatefulPeepholeLSTM', 'h', h)
        c.to_device(self.device)
        h.to_device(self.device)
        self.c = c
        self.h = h

    def reset_state(self):
        """Set ``c`` and ``h`` to ``None``."""
        self.c = self.h = None

    def forward(self, x):
        """Update the states with one step and return the output.

        Args:
            x (~kusari.Variable or array): Inputs, ``(N, in_size)``.

        Returns:
            ~kusari.Variable: Outputs, ``(N, out_size)``.

        """
        lstm_in = self.upward(x)
        if self.h is not None:
            lstm_in += self.lateral(self.h)
        if self.c is None:
            with kusari.backend.using_device(self.device):
                self.c = variable.Variable(
                    self.xp.zeros((x.shape[0], self.state_size), dtype=x.dtype))
        a, i, f, o = _split_gates(lstm_in, self.state_size)
        peep_in_i = self.peep_i(self.c)
        peep_in_f = self.peep_f(self.c)
        a = F.tanh(a)
        i = F.sigmoid(i + peep_in_i)
        f = F.sigmoid(f + peep_in_f)
        self.c = a * i + f * self.c
        peep_in_o = self.peep_o(self.c)
        o = F.sigmoid(o + peep_in_o)
        self.h = o * F.tanh(self.c)
        return self.h
