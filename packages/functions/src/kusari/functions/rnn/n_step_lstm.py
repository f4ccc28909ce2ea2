"""Stacked (bi-)directional LSTMs over variable-length sequences (``n_step_lstm``,
``n_step_bilstm``)."""
from kusari import _core
from kusari.functions.rnn.lstm import lstm as _lstm_fn
from kusari.functions.rnn import n_step_rnn as _base
from kusari.functions.util import _ops


def _stack_weight(ws):
    # interleave the four gates per unit, the layout F.lstm expects
    w = _ops.stack(ws, axis=1)
    return _core.reshape(w, (w.shape[0] * w.shape[1],) + w.shape[2:])


def _lstm_step(x, h, c, w, b):
    xw = _stack_weight([w[2], w[0], w[1], w[3]])
    hw = _stack_weight([w[6], w[4], w[5], w[7]])
    xb = _stack_weight([b[2], b[0], b[1], b[3]])
    hb = _stack_weight([b[6], b[4], b[5], b[7]])
    lstm_in = _ops.linear(x, xw, xb) + _ops.linear(h, hw, hb)
    c_bar, h_bar = _lstm_fn(c, lstm_in)
    return h_bar, c_bar


def _n_step_lstm_base(func, n_layers, dropout_ratio, hx, cx, ws, bs, xs, bi):
    _base._check_args(func, n_layers, hx, ws, bs, xs, 8, 2 if bi else 1, cx=cx)
    return _base.n_step_rnn_impl(_lstm_step, n_layers, dropout_ratio, hx, cx, ws, bs, xs,
                                 bi)


def n_step_lstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs):
    """Stacked uni-directional LSTM over a batch of sequences.

    Per layer (``W_j``, ``b_j`` = ``ws[l][j]``, ``bs[l][j]``)::

        i = sigmoid(W_0 x + b_0 + W_4 h + b_4)     (input gate)
        f = sigmoid(W_1 x + b_1 + W_5 h + b_5)     (forget gate)
        a = tanh(W_2 x + b_2 + W_6 h + b_6)        (cell input)
        o = sigmoid(W_3 x + b_3 + W_7 h + b_7)     (output gate)
        c = f * c_prev + i * a;   h = o * tanh(c)

    (Chainer's CPU implementation, whose weight order this reproduces.)  Layer
    ``k > 0`` reads the outputs of layer ``k - 1`` after dropout.

    Args:
        n_layers (int): the number of layers ``S``.
        dropout_ratio (float): dropout ratio between layers.
        hx (Variable or array): ``(S, B, N)`` initial hidden states.
        cx (Variable or array): ``(S, B, N)`` initial cell states.
        ws (list of list): ``ws[l]`` holds 8 matrices; ``ws[0][0:4]`` are ``(N, I)``,
            the others ``(N, N)``.
        bs (list of list): ``bs[l]`` holds 8 vectors ``(N,)``.
        xs (list): ``xs[t]`` is ``(B_t, I)`` with ``B_t`` non-increasing.

    Returns:
        tuple: ``(hy, cy, ys)``: final hidden and cell states ``(S, B, N)`` and a
        tuple of ``(B_t, N)`` outputs of the last layer.

    >>> import numpy, kusari.functions as F
    >>> f = numpy.float32
    >>> xs = [numpy.ones((3, 3), f), numpy.ones((2, 3), f), numpy.ones((1, 3), f)]
    >>> hx = numpy.ones((2, 3, 2), f); cx = numpy.ones((2, 3, 2), f)
    >>> ws = [[numpy.ones((2, 3 if (n == 0 and j < 4) else 2), f) for j in range(8)]
    ...       for n in range(2)]
    >>> bs = [[numpy.ones(2, f) for j in range(8)] for n in range(2)]
    >>> hy, cy, ys = F.n_step_lstm(2, 0.0, hx, cx, ws, bs, xs)
    >>> hy.shape, cy.shape, [y.shape for y in ys]
    ((2, 3, 2), (2, 3, 2), [(3, 2), (2, 2), (1, 2)])
    """
    return _n_step_lstm_base('n_step_lstm', n_layers, dropout_ratio, hx, cx, ws, bs, xs,
                             False)


def n_step_bilstm(n_layers, dropout_ratio, hx, cx, ws, bs, xs):
    """Stacked bi-directional LSTM over a batch of sequences.

    As :func:`n_step_lstm` with a forward and a backward LSTM per layer: ``hx`` and
    ``cx`` are ``(2S, B, N)``; ``ws[2 l + d]`` / ``bs[2 l + d]`` belong to layer
    ``l``, direction ``d`` (0 forward, 1 backward); for ``l > 0`` the input weights
    ``ws[.][0:4]`` are ``(N, 2N)``.  Outputs ``ys[t]`` are ``(B_t, 2N)``.

    Args:
        n_layers (int), dropout_ratio (float), hx, cx, ws, bs, xs: see above.

    Returns:
        tuple: ``(hy, cy, ys)``.

    >>> import numpy, kusari.functions as F
    >>> f = numpy.float32
    >>> xs = [numpy.ones((2, 3), f)]
    >>> hx = numpy.zeros((2, 2, 4), f); cx = numpy.zeros((2, 2, 4), f)
    >>> ws = [[numpy.zeros((4, 3 if j < 4 else 4), f) for j in range(8)] for d in range(2)]
    >>> bs = [[numpy.zeros(4, f) for j in range(8)] for d in range(2)]
    >>> hy, cy, ys = F.n_step_bilstm(1, 0.0, hx, cx, ws, bs, xs)
    >>> hy.shape, ys[0].shape
    ((2, 2, 4), (2, 8))
    """
    return _n_step_lstm_base('n_step_bilstm', n_layers, dropout_ratio, hx, cx, ws, bs,
                             xs, True)
