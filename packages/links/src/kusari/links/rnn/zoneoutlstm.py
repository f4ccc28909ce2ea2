"""Stateful LSTM layer with zoneout."""
import kusari
import kusari.functions as F
from kusari import link
from kusari import variable
from kusari.links.connection import linear
from kusari.links.rnn import lstm as lstm_module
from kusari.links.rnn import peephole


class StatefulZoneoutLSTM(link.Chain):
    """Stateful fully-connected LSTM layer with zoneout.

    As :class:`LSTM` (``upward``/``lateral`` connections, gates interleaved per
    unit), but in training each unit of the new cell state and output keeps its
    previous value with probability ``c_ratio``/``h_ratio``
    (:func:`kusari.functions.zoneout`)::

        c_tmp = tanh(a) * sigmoid(i) + sigmoid(f) * c
        c'    = zoneout(c, c_tmp, c_ratio)
        h'    = zoneout(h, sigmoid(o) * tanh(c_tmp), h_ratio)

    Args:
        in_size (int): Dimension of the input.
        out_size (int): Dimension of the states.
        c_ratio (float): Zoneout ratio of the cell state.
        h_ratio (float): Zoneout ratio of the output.

    >>> import kusari.links as L
    >>> L.StatefulZoneoutLSTM(3, 2).upward.W.shape
    (8, 3)
    """

    def __init__(self, in_size, out_size, c_ratio=0.5, h_ratio=0.5):
        super().__init__()
        self.state_size = out_size
        self.c_ratio = c_ratio
        self.h_ratio = h_ratio
        self.reset_state()
        with self.init_scope():
            self.upward = linear.Linear(in_size, 4 * out_size)
            self.lateral = linear.Linear(out_size, 4 * out_size, nobias=True)

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        if self.c is not None:
            visitor.visit_variable(self.c)
        if self.h is not None:
            visitor.visit_variable(self.h)

    def set_state(self, c, h):
        """Set the states ``c`` and ``h`` (Variables, moved to this link's device)."""
        lstm_module._check_variable('StatefulZoneoutLSTM', 'c', c)
        lstm_module._check_variable('StatefulZoneoutLSTM', 'h', h)
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
        else:
            with kusari.backend.using_device(self.device):
                self.h = variable.Variable(
                    self.xp.zeros((x.shape[0], self.state_size), dtype=x.dtype))
        if self.c is None:
            with kusari.backend.using_device(self.device):
                self.c = variable.Variable(
                    self.xp.zeros((x.shape[0], self.state_size), dtype=x.dtype))
        a, i, f, o = peephole._split_gates(lstm_in, self.state_size)
        c_tmp = F.tanh(a) * F.sigmoid(i) + F.sigmoid(f) * self.c
        self.c = F.zoneout(self.c, c_tmp, self.c_ratio)
        self.h = F.zoneout(self.h, F.sigmoid(o) * F.tanh(c_tmp), self.h_ratio)
        return self.h
