"""Stacked (bi-)directional RNNs over variable-length sequences: ``n_step_rnn`` and
``n_step_birnn``, plus the loop shared with ``n_step_lstm`` / ``n_step_gru``."""
from kusari import _core
from kusari.functions.noise.dropout import dropout as _dropout_fn
from kusari.functions.util import _ops


def _check_args(func, n_layers, hx, ws, bs, xs, n_weights, directions, cx=None):
    if not isinstance(n_layers, int) or n_layers < 1:
        raise ValueError('%s: n_layers must be a positive int, got %r' % (func, n_layers))
    if len(xs) == 0:
        raise ValueError('%s: xs must hold at least one time step' % func)
    h = _ops.array_of(hx)
    if h.ndim != 3 or h.shape[0] != n_layers * directions:
        raise _ops.invalid(func, 'hx.shape == (%d, B, N)' % (n_layers * directions),
                           'hx.shape == %s' % (h.shape,))
    if cx is not None and _ops.array_of(cx).shape != h.shape:
        raise _ops.invalid(func, 'cx.shape == hx.shape',
                           '%s != %s' % (_ops.array_of(cx).shape, h.shape))
    if len(ws) != n_layers * directions or len(bs) != n_layers * directions:
        raise ValueError('%s: expected %d weight and bias lists, got %d and %d'
                         % (func, n_layers * directions, len(ws), len(bs)))
    for w, b in zip(ws, bs):
        if len(w) != n_weights or len(b) != n_weights:
            raise ValueError('%s: each layer needs %d weights and %d biases, got %d and %d'
                             % (func, n_weights, n_weights, len(w), len(b)))
    prev = None
    for t, x in enumerate(xs):
        xa = _ops.array_of(x)
        if xa.ndim != 2:
            raise _ops.invalid(func, 'xs[%d].ndim == 2' % t, '%d != 2' % xa.ndim)
        if xa.dtype != h.dtype:
            raise _ops.invalid(func, 'xs[%d].dtype == hx.dtype' % t,
                               '%s != %s' % (xa.dtype, h.dtype))
        if prev is not None and xa.shape[0] > prev:
            raise ValueError('%s: xs must be sorted by decreasing batch size '
                             '(xs[%d].shape[0] = %d > %d)' % (func, t, xa.shape[0], prev))
        prev = xa.shape[0]
    if _ops.array_of(xs[0]).shape[0] > h.shape[1]:
        raise _ops.invalid(func, 'xs[0].shape[0] <= hx.shape[1]',
                           '%d > %d' % (_ops.array_of(xs[0]).shape[0], h.shape[1]))
    x_in = _ops.array_of(xs[0]).shape[1]
    w_in = _ops.array_of(ws[0][0]).shape[1]
    if x_in != w_in:
        raise ValueError('%s: inconsistent input size in input values and weight '
                         'parameters: %d != %d' % (func, x_in, w_in))


def _separate(v):
    v = _ops.as_var(v)
    return [_core.get_item(v, i) for i in range(v.shape[0])]


def _one_directional_loop(f, xs, h, c, w, b):
    h_list = []
    for x in xs:
        batch = x.shape[0]
        split = h.shape[0] > batch
        if split:
            h, h_rest = _ops.split_at(h, [batch], axis=0)
            if c is not None:
                c, c_rest = _ops.split_at(c, [batch], axis=0)
        h, c = f(x, h, c, w, b)
        h_list.append(h)
        if split:
            h = _ops.concat([h, h_rest], axis=0)
            if c is not None:
                c = _ops.concat([c, c_rest], axis=0)
    return h, c, h_list


def n_step_rnn_impl(f, n_layers, dropout_ratio, hx, cx, ws, bs, xs, use_bi_direction):
    """The loop over layers, directions and time steps shared by the n-step RNNs.

    ``f(x, h, c, w, b) -> (h, c)`` computes one step of one layer.  Returns
    ``(hy, cy, ys)`` (``cy`` is None without ``cx``).
    """
    directions = 2 if use_bi_direction else 1
    hx = _separate(hx)
    use_cell = cx is not None
    cx = _separate(cx) if use_cell else [None] * len(hx)
    xs_next = [_ops.as_var(x) for x in xs]
    hy, cy = [], []
    for layer in range(n_layers):
        if layer == 0:
            xs_in = xs_next
        else:
            xs_in = [_dropout_fn(x, ratio=dropout_ratio) for x in xs_next]
        idx = directions * layer
        h, c, h_forward = _one_directional_loop(f, xs_in, hx[idx], cx[idx], ws[idx],
                                                bs[idx])
        hy.append(h)
        cy.append(c)
        if use_bi_direction:
            idx += 1
            if layer == 0:
                xs_in = xs_next
            else:
                xs_in = [_dropout_fn(x, ratio=dropout_ratio) for x in xs_next]
            h, c, h_backward = _one_directional_loop(
                f, list(reversed(xs_in)), hx[idx], cx[idx], ws[idx], bs[idx])
            h_backward.reverse()
            xs_next = [_ops.concat([hf, hb], axis=1)
                       for hf, hb in zip(h_forward, h_backward)]
            hy.append(h)
            cy.append(c)
        else:
            xs_next = h_forward
    hy = _ops.stack(hy)
    cy = _ops.stack(cy) if use_cell else None
    return hy, cy, tuple(xs_next)


def _rnn_step(activation):
    act = _ops.tanh if activation == 'tanh' else _ops.relu

    def f(x, h, c, w, b):
        return act(_ops.linear(x, w[0], b[0]) + _ops.linear(h, w[1], b[1])), None
    return f


def _n_step_rnn_base(func, n_layers, dropout_ratio, hx, ws, bs, xs, activation, bi):
    if activation not in ('tanh', 'relu'):
        raise ValueError('%s: invalid activation: "%s". Please select from [tanh,relu]'
                         % (func, activation))
    _check_args(func, n_layers, hx, ws, bs, xs, 2, 2 if bi else 1)
    hy, _, ys = n_step_rnn_impl(_rnn_step(activation), n_layers, dropout_ratio, hx, None,
                                ws, bs, xs, bi)
    return hy, ys


def n_step_rnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh'):
    """Stacked uni-directional Elman RNN over a batch of sequences.

    For each layer, ``h_t = act(W_0 x_t + b_0 + W_1 h_{t-1} + b_1)``; the input of
    layer ``k > 0`` is the output of layer ``k - 1`` after dropout.

    Args:
        n_layers (int): the number of layers ``S``.
        dropout_ratio (float): dropout ratio between layers (applied in training).
        hx (Variable or array): ``(S, B, N)`` initial hidden states.
        ws (list of list): ``ws[l] = [W_0, W_1]``; ``W_0`` is ``(N, I)`` for layer 0
            and ``(N, N)`` after, ``W_1`` is ``(N, N)``.
        bs (list of list): ``bs[l] = [b_0, b_1]``, each ``(N,)``.
        xs (list): ``xs[t]`` is ``(B_t, I)``, with ``B_t`` non-increasing (sequences
            sorted by decreasing length, then transposed).
        activation (str): ``'tanh'`` or ``'relu'``.

    Returns:
        tuple: ``(hy, ys)``: ``hy`` ``(S, B, N)`` the final hidden states and ``ys``
        a tuple of ``(B_t, N)`` outputs of the last layer.

    >>> import numpy, kusari.functions as F
    >>> xs = [numpy.ones((2, 3), numpy.float32), numpy.ones((1, 3), numpy.float32)]
    >>> hx = numpy.zeros((1, 2, 4), numpy.float32)
    >>> ws = [[numpy.zeros((4, 3), numpy.float32), numpy.zeros((4, 4), numpy.float32)]]
    >>> bs = [[numpy.zeros(4, numpy.float32), numpy.zeros(4, numpy.float32)]]
    >>> hy, ys = F.n_step_rnn(1, 0.0, hx, ws, bs, xs)
    >>> hy.shape, [y.shape for y in ys]
    ((1, 2, 4), [(2, 4), (1, 4)])
    """
    return _n_step_rnn_base('n_step_rnn', n_layers, dropout_ratio, hx, ws, bs, xs,
                            activation, False)


def n_step_birnn(n_layers, dropout_ratio, hx, ws, bs, xs, activation='tanh'):
    """Stacked bi-directional Elman RNN over a batch of sequences.

    As :func:`n_step_rnn` with a forward and a backward RNN per layer: ``hx`` is
    ``(2S, B, N)``, ``ws[2 l + d]`` / ``bs[2 l + d]`` belong to layer ``l`` and
    direction ``d`` (0 forward, 1 backward); for ``l > 0`` the input weights are
    ``(N, 2N)``.  Each output ``ys[t]`` is ``(B_t, 2N)`` (forward then backward).

    Args:
        n_layers (int): the number of layers ``S``.
        dropout_ratio (float): dropout ratio between layers.
        hx (Variable or array): ``(2S, B, N)``.
        ws (list of list): ``2S`` lists of ``[W_0, W_1]``.
        bs (list of list): ``2S`` lists of ``[b_0, b_1]``.
        xs (list): ``(B_t, I)`` inputs, ``B_t`` non-increasing.
        activation (str): ``'tanh'`` or ``'relu'``.

    Returns:
        tuple: ``(hy, ys)``.

    >>> import numpy, kusari.functions as F
    >>> xs = [numpy.ones((2, 3), numpy.float32)]
    >>> hx = numpy.zeros((2, 2, 4), numpy.float32)
    >>> ws = [[numpy.zeros((4, 3), numpy.float32), numpy.zeros((4, 4), numpy.float32)]
    ...       for _ in range(2)]
    >>> bs = [[numpy.zeros(4, numpy.float32)] * 2 for _ in range(2)]
    >>> hy, ys = F.n_step_birnn(1, 0.0, hx, ws, bs, xs)
    >>> hy.shape, ys[0].shape
    ((2, 2, 4), (2, 8))
    """
    return _n_step_rnn_base('n_step_birnn', n_layers, dropout_ratio, hx, ws, bs, xs,
                            activation, True)
