"""Gated recurrent units (StatelessGRU, StatefulGRU, GRU)."""
import kusari.functions as F
from kusari import link
from kusari.links.connection import linear
from kusari.links.rnn import lstm as lstm_module


class GRUBase(link.Chain):
    """Common part of the GRU links: six :class:`Linear` children.

    ``W_r``, ``W_z``, ``W`` are ``Linear(in_size, out_size)`` (weights initialized
    with ``init``) and ``U_r``, ``U_z``, ``U`` are ``Linear(out_size, out_size)``
    (weights initialized with ``inner_init``); all biases with ``bias_init``.

    Args:
        in_size (int or None): Input dimension (``None``: lazy).
        out_size (int): Hidden dimension.
        init: Initializer of the input weights (``None``: LeCunNormal).
        inner_init: Initializer of the recurrent weights (``None``: LeCunNormal).
        bias_init: Initializer of the biases (``None``: zero).
    """

    def __init__(self, in_size, out_size, init=None, inner_init=None, bias_init=None):
        super().__init__()
        with self.init_scope():
            self.W_r = linear.Linear(in_size, out_size, initialW=init,
                                     initial_bias=bias_init)
            self.U_r = linear.Linear(out_size, out_size, initialW=inner_init,
                                     initial_bias=bias_init)
            self.W_z = linear.Linear(in_size, out_size, initialW=init,
                                     initial_bias=bias_init)
            self.U_z = linear.Linear(out_size, out_size, initialW=inner_init,
                                     initial_bias=bias_init)
            self.W = linear.Linear(in_size, out_size, initialW=init,
                                   initial_bias=bias_init)
            self.U = linear.Linear(out_size, out_size, initialW=inner_init,
                                   initial_bias=bias_init)


class StatelessGRU(GRUBase):
    """Stateless gated recurrent unit::

        r  = sigmoid(W_r x + U_r h)
        z  = sigmoid(W_z x + U_z h)
        h~ = tanh(W x + U (r * h))
        h' = (1 - z) * h + z * h~

    Args: see :class:`GRUBase`.

    >>> import numpy, kusari.links as L
    >>> l = L.StatelessGRU(3, 2)
    >>> l.W_r.W.shape, l.U_r.W.shape
    ((2, 3), (2, 2))
    """

    def forward(self, h, x):
        """Compute one step.

        Args:
            h (~kusari.Variable or array): Previous hidden states, ``(N, out_size)``.
            x (~kusari.Variable or array): Inputs, ``(N, in_size)``.

        Returns:
            ~kusari.Variable: New hidden states, ``(N, out_size)``.

        """
        r = F.sigmoid(self.W_r(x) + self.U_r(h))
        z = F.sigmoid(self.W_z(x) + self.U_z(h))
        h_bar = F.tanh(self.W(x) + self.U(r * h))
        return F.linear_interpolate(z, h_bar, h)


class StatefulGRU(GRUBase):
    """Stateful gated recurrent unit: :class:`StatelessGRU` keeping ``h``.

    On the first step (``h`` is ``None``) the output is ``z * h~`` with
    ``z = sigmoid(W_z x)`` and ``h~ = tanh(W x)``.

    Args:
        in_size (int or None): Input dimension.
        out_size (int): Hidden dimension.
        init: Initializer of the input weights.
        inner_init: Initializer of the recurrent weights.
        bias_init: Initializer of the biases (default ``0``).

    Attributes:
        h (~kusari.Variable): The hidden state (``None`` after :meth:`reset_state`).

    >>> import numpy, kusari.links as L
    >>> l = L.StatefulGRU(3, 2)
    >>> l(numpy.zeros((1, 3), numpy.float32)).shape
    (1, 2)
    """

    def __init__(self, in_size, out_size, init=None, inner_init=None, bias_init=0):
        super().__init__(in_size, out_size, init, inner_init, bias_init)
        self.state_size = out_size
        self.reset_state()

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        if self.h is not None:
            visitor.visit_variable(self.h)

    def set_state(self, h):
        """Set the hidden state ``h`` (a Variable, moved to this link's device)."""
        lstm_module._check_variable(type(self).__name__, 'h', h)
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
        z = self.W_z(x)
        h_bar = self.W(x)
        if self.h is not None:
            r = F.sigmoid(self.W_r(x) + self.U_r(self.h))
            z += self.U_z(self.h)
            h_bar += self.U(r * self.h)
        z = F.sigmoid(z)
        h_bar = F.tanh(h_bar)
        if self.h is not None:
            h_new = F.linear_interpolate(z, h_bar, self.h)
        else:
            h_new = z * h_bar
        self.h = h_new
        return self.h


class GRU(StatefulGRU):
    """Stateful gated recurrent unit: an alias of :class:`StatefulGRU`.

    Calling it with two arguments (the stateless v1 API) raises ValueError.

    >>> import kusari.links as L
    >>> isinstance(L.GRU(3, 2), L.StatefulGRU)
    True
    """

    def forward(self, *args):
        """forward(self, x)

        Update the hidden state with one step and return it (see
        :meth:`StatefulGRU.forward`).
        """
        n_args = len(args)
        msg = ('Invalid argument. The length of GRU.forward must be 1. '
               'But %d is given. ' % n_args)
        if n_args == 0 or n_args >= 3:
            raise ValueError(msg)
        elif n_args == 2:
            msg += ('In Chainer v2, chainer.links.GRU is changed from stateless to '
                    'stateful. One possibility is you assume GRU to be stateless. '
                    'Use kusari.links.StatelessGRU instead.')
            raise ValueError(msg)
        return super().forward(args[0])
