"""Stacked (bi-)directional GRUs over variable-length sequences (``n_step_gru``,
``n_step_bigru``)."""
from kusari.functions.rnn import n_step_rnn as _base
from kusari.functions.util import _ops


def _gru_step(x, h, c, w, b):
    xw = _ops.concat([w[0], w[1], w[2]], axis=0)
    hw = _ops.concat([w[3], w[4], w[5]], axis=0)
    xb = _ops.concat([b[0], b[1], b[2]], axis=0)
    hb = _ops.concat([b[3], b[4], b[5]], axis=0)
    gx = _ops.linear(x, xw, xb)
    gh = _ops.linear(h, hw, hb)
    N = h.shape[1]
    rx, zx, nx = _ops.split_at(gx, [N, 2 * N], axis=1)
    rh, zh, nh = _ops.split_at(gh, [N, 2 * N], axis=1)
    r = _ops.sigmoid(rx + rh)
    z = _ops.sigmoid(zx + zh)
    h_bar = _ops.tanh(nx + r * nh)
    return (1 - z) * h_bar + z * h, None


def _n_step_gru_base(func, n_layers, dropout_ratio, hx, ws, bs, xs, bi):
    _base._check_args(func, n_layers, hx, ws, bs, xs, 6, 2 if bi else 1)
    hy, _, ys = _base.n_step_rnn_impl(_gru_step, n_layers, dropout_ratio, hx, None, ws,
                                      bs, xs, bi)
    return hy, ys


def n_step_gru(n_layers, dropout_ratio, hx, ws, bs, xs):
    """Stacked uni-directional GRU over a batch of sequences.

    Per layer (``W_j``, ``b_j`` = ``ws[l][j]``, ``bs[l][j]``)::

        r = sigmoid(W_0 x + b_0 + W_3 h + b_3)
        z = sigmoid(W_1 x + b_1 + W_4 h + b_4)
        h_bar = tanh(W_2 x + b_2 + r * (W_5 h + b_5))
        h = (1 - z) * h_bar + z * h_prev

    Args:
        n_layers (int): the number of layers ``S``.
        dropout_ratio (float): dropout ratio between layers.
        hx (Variable or array): ``(S, B, N)`` initial hidden states.
        ws (list of list): ``ws[l]`` holds 6 matrices; ``ws[0][0:3]`` are ``(N, I)``,
            the others ``(N, N)``.
        bs (list of list): ``bs[l]`` holds 6 vectors ``(N,)``.
        xs (list): ``xs[t]`` is ``(B_t, I)`` with ``B_t`` non-increasing.

    Returns:
        tuple: ``(hy, ys)``.

    >>> import numpy, kusari.functions as F
    >>> f = numpy.float32
    >>> xs = [numpy.ones((2, 3), f), numpy.ones((1, 3), f)]
    >>> hx = numpy.zeros((1, 2, 4), f)
    >>> ws = [[numpy.zeros((4, 3 if j < 3 else 4), f) for j in range(6)]]
    >>> bs = [[numpy.zeros(4, f) for j in range(6)]]
    >>> hy, ys = F.n_step_gru(1, 0.0, hx, ws, bs, xs)
    >>> hy.shape, [y.shape for y in ys]
    ((1, 2, 4), [(2, 4), (1, 4)])
    """
    return _n_step_gru_base('n_step_gru', n_layers, dropout_ratio, hx, ws, bs, xs, False)


def n_step_bigru(n_layers, dropout_ratio, hx, ws, bs, xs):
    """Stacked bi-directional GRU over a batch of sequences.

    As :func:`n_step_gru` with a forward and a backward GRU per layer: ``hx`` is
    ``(2S, B, N)``; ``ws[2 l + d]`` / ``bs[2 l + d]`` belong to layer ``l``,
    direction ``d``; for ``l > 0`` the input weights are ``(N, 2N)``.  Outputs
    ``ys[t]`` are ``(B_t, 2N)``.

    Args:
        n_layers (int), dropout_ratio (float), hx, ws, bs, xs: see above.

    Returns:
        tuple: ``(hy, ys)``.

    >>> import numpy, kusari.functions as F
    >>> f = numpy.float32
    >>> xs = [numpy.ones((2, 3), f)]
    >>> hx = numpy.zeros((2, 2, 4), f)
    >>> ws = [[numpy.zeros((4, 3 if j < 3 else 4), f) for j in range(6)] for d in range(2)]
    >>> bs = [[numpy.zeros(4, f) for j in range(6)] for d in range(2)]
    >>> hy, ys = F.n_step_bigru(1, 0.0, hx, ws, bs, xs)
    >>> hy.shape, ys[0].shape
    ((2, 2, 4), (2, 8))
    """
    return _n_step_gru_base('n_step_bigru', n_layers, dropout_ratio, hx, ws, bs, xs, True)
