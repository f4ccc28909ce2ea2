"""Fully-connected LSTM layers (LSTM, StatelessLSTM)."""
import importlib

import numpy

import kusari
import kusari.functions as F
from kusari import initializers
from kusari import link
from kusari import utils
from kusari import variable
from kusari.links import _util
from kusari.links.connection import linear

# the module, not the function ``lstm`` that kusari.functions.rnn exports
_rnn_lstm = importlib.import_module('kusari.functions.rnn.lstm')
_FUSED_DTYPES = (numpy.dtype(numpy.float32), numpy.dtype(numpy.float64))


def _check_variable(who, name, v):
    if not isinstance(v, variable.Variable):
        raise TypeError('{}.set_state: {} must be a kusari.Variable, but got {}'.format(
            who, name, type(v).__name__))


class LSTMBase(link.Chain):
    """Common part of the LSTM links: the ``upward`` and ``lateral`` connections.

    ``upward`` is ``Linear(in_size, 4 * out_size)`` and ``lateral`` is
    ``Linear(out_size, 4 * out_size, nobias=True)``.  The ``4 * out_size`` outputs
    are the gate pre-activations interleaved per unit as :func:`kusari.functions.lstm`
    expects (unit ``j``'s gates ``a, i, f, o`` at rows ``4j .. 4j + 3``).  Each block
    of ``out_size`` rows of the weights is initialized separately with
    ``upward_init``/``lateral_init``; the biases of the cell input, input gate and
    output gate with ``bias_init`` (default 0) and that of the forget gate with
    ``forget_bias_init`` (default 1).

    Args:
        in_size (int or None): Input dimension (``None``: lazy).  With one size
            given, it is ``out_size``.
        out_size (int): Output (state) dimension.
        lateral_init: Initializer of the lateral weights (``None``: LeCunNormal).
        upward_init: Initializer of the upward weights (``None``: LeCunNormal).
        bias_init: Initializer of the ``a``, ``i``, ``o`` biases (``None``: 0).
        forget_bias_init: Initializer of the ``f`` bias (``None``: 1).
    """

    def __init__(self, in_size, out_size=None, lateral_init=None, upward_init=None,
                 bias_init=None, forget_bias_init=None):
        if out_size is None:
            out_size, in_size = in_size, None
        super().__init__()
        if bias_init is None:
            bias_init = 0
        if forget_bias_init is None:
            forget_bias_init = 1
        self.state_size = out_size
        self.lateral_init = lateral_init
        self.upward_init = upward_init
        self.bias_init = bias_init
        self.forget_bias_init = forget_bias_init
        with self.init_scope():
            self.upward = linear.Linear(in_size, 4 * out_size, initialW=0)
            self.lateral = linear.Linear(out_size, 4 * out_size, initialW=0,
                                         nobias=True)
            if in_size is not None:
                self._initialize_params()

    def _initialize_params(self):
        lateral_init = initializers._get_initializer(self.lateral_init)
        upward_init = initializers._get_initializer(self.upward_init)
        bias_init = initializers._get_initializer(self.bias_init)
        forget_bias_init = initializers._get_initializer(self.forget_bias_init)
        n = self.state_size
        for i in range(0, 4 * n, n):
            lateral_init(self.lateral.W.array[i:i + n, :])
            upward_init(self.upward.W.array[i:i + n, :])
        gates = self.upward.b.array.reshape(n, 4)
        bias_init(gates[:, 0])
        bias_init(gates[:, 1])
        forget_bias_init(gates[:, 2])
        bias_init(gates[:, 3])

    def _lazy_init(self, x):
        if self.upward.W.array is None:
            shape = _util.check_min_ndim(type(self).__name__, x, 2)
            with kusari.backend.using_device(self.device):
                self.upward._initialize_params(utils.size_of_shape(shape[1:]))
                self._initialize_params()


class StatelessLSTM(LSTMBase):
    """Stateless fully-connected LSTM layer.

    Holds the ``upward`` and ``lateral`` connections (see :class:`LSTMBase` for the
    arguments) but no state: :meth:`forward` takes and returns ``c`` and ``h``.

    >>> import numpy, kusari.links as L
    >>> l = L.StatelessLSTM(3, 2)
    >>> l.upward.W.shape, l.lateral.W.shape
    ((8, 3), (8, 2))
    >>> l.upward.b.array.reshape(2, 4)[:, 2]    # forget-gate biases
    array([1., 1.], dtype=float32)
    """

    def forward(self, c, h, x):
        """Compute one LSTM step.

        Args:
            c (~kusari.Variable or None): Cell states, ``(N, out_size)``; ``None``
                means zeros.
            h (~kusari.Variable or None): Previous outputs, ``(N, out_size)``;
                ``None`` means no lateral input.
            x (~kusari.Variable or array): Inputs, ``(N, in_size)``.

        Returns:
            tuple: ``(c_new, h_new)``, each ``(N, out_size)``.

        """
        self._lazy_init(x)
        lstm_in = self.upward(x)
        if h is not None:
            lstm_in += self.lateral(h)
        if c is None:
            with kusari.backend.using_device(self.device):
                c = variable.Variable(
                    self.xp.zeros((x.shape[0], self.state_size), dtype=x.dtype))
        return F.lstm(c, lstm_in)


class LSTM(LSTMBase):
    """Stateful fully-connected LSTM layer.

    Holds the ``upward`` and ``lateral`` connections (see :class:`LSTMBase` for the
    arguments and their initialization) and the states ``c`` (cell) and ``h``
    (output of the previous step).  Mini-batches may shrink from one step to the
    next: then only the first ``len(x)`` rows of the states are updated, so sort
    sequences by decreasing length.

    Attributes:
        upward (~kusari.links.Linear): Upward connections.
        lateral (~kusari.links.Linear): Lateral connections.
        c (~kusari.Variable): Cell states (``None`` after :meth:`reset_state`).
        h (~kusari.Variable): Previous outputs (``None`` after :meth:`reset_state`).

    >>> import numpy, kusari.links as L
    >>> l = L.LSTM(3)            # in_size inferred on the first call
    >>> y = l(numpy.ones((2, 5), numpy.float32))
    >>> y.shape, l.upward.W.shape
    ((2, 3), (12, 5))
    """

    def __init__(self, in_size, out_size=None, lateral_init=None, upward_init=None,
                 bias_init=None, forget_bias_init=None):
        if out_size is None:
            in_size, out_size = None, in_size
        super().__init__(in_size, out_size, lateral_init, upward_init, bias_init,
                         forget_bias_init)
        self.reset_state()

    def device_resident_accept(self, visitor):
        super().device_resident_accept(visitor)
        if self.c is not None:
            visitor.visit_variable(self.c)
        if self.h is not None:
            visitor.visit_variable(self.h)

    def _can_fuse(self, x, batch):
        # The fused node covers the common case on the CPU: 2-D float32/64 input of
        # the parameters' dtype, full batches, and no function hooks (hooks see the
        # nodes of the unfused path, as in Chainer).
        W = self.upward.W.array
        arr = x.array if isinstance(x, variable.Variable) else x
        if (type(arr) is not numpy.ndarray or type(W) is not numpy.ndarray
                or arr.ndim != 2 or arr.dtype != W.dtype or W.dtype not in _FUSED_DTYPES
                or self.upward.b is None or self.lateral.b is not None
                or arr.shape[1] != W.shape[1] or batch == 0):
            return False
        if self.h is not None:
            if (self.h.shape[0] != batch or type(self.h.array) is not numpy.ndarray
                    or self.h.dtype != W.dtype or self.lateral.W.dtype != W.dtype):
                return False
        if self.c is not None:
            if (self.c.shape[0] != batch or self.c.ndim != 2
                    or type(self.c.array) is not numpy.ndarray or self.c.dtype != W.dtype):
                return False
        return not kusari._core._get_function_hooks()

    def set_state(self, c, h):
        """Set the states ``c`` and ``h`` (Variables, moved to this link's device).

        Args:
            c (~kusari.Variable): New cell states, ``(N, out_size)``.
            h (~kusari.Variable): New outputs, ``(N, out_size)``.

        """
        _check_variable('LSTM', 'c', c)
        _check_variable('LSTM', 'h', h)
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
            x (~kusari.Variable or array): Inputs, ``(N, in_size)`` with ``N`` at
                most the batch size of the states.

        Returns:
            ~kusari.Variable: Outputs, ``(N, out_size)``.

        """
        self._lazy_init(x)
        batch = x.shape[0]
        if self._can_fuse(x, batch):
            # one node for upward + lateral + the cell: the same arithmetic as below
            W = self.upward.W
            if self.c is None:
                self.c = variable.Variable(numpy.zeros((batch, self.state_size),
                                                       dtype=W.dtype))
            if self.h is None:
                self.c, y = _rnn_lstm._linear_lstm(self.c, x, W, self.upward.b)
            else:
                self.c, y = _rnn_lstm._linear_lstm(self.c, x, W, self.upward.b, self.h,
                                                   self.lateral.W)
            self.h = y
            return y
        lstm_in = self.upward(x)
        h_rest = None
        if self.h is not None:
            h_size = self.h.shape[0]
            if batch == 0:
                h_rest = self.h
            elif h_size < batch:
                raise TypeError(
                    'LSTM: the batch size of x must be equal to or less than the '
                    'size of the previous state h ({} > {}).'.format(batch, h_size))
            elif h_size > batch:
                h_update = self.h[:batch]
                h_rest = self.h[batch:]
                lstm_in += self.lateral(h_update)
            else:
                lstm_in += self.lateral(self.h)
        if self.c is None:
            with kusari.backend.using_device(self.device):
                self.c = variable.Variable(
                    self.xp.zeros((batch, self.state_size), dtype=x.dtype))
        self.c, y = F.lstm(self.c, lstm_in)
        if h_rest is None:
            self.h = y
        elif len(y.array) == 0:
            self.h = h_rest
        else:
            self.h = F.concat([y, h_rest], axis=0)
        return y
