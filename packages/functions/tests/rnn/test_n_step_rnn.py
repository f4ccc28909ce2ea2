"""Tests of n_step_rnn / birnn / lstm / bilstm / gru / bigru against a NumPy
reference of Chainer's equations."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

N_W = {'rnn': 2, 'lstm': 8, 'gru': 6}
N_IN = {'rnn': 1, 'lstm': 4, 'gru': 3}


def _sig(v):
    return 1 / (1 + numpy.exp(-v))


def _step(kind, x, h, c, w, b, activation):
    if kind == 'rnn':
        v = x.dot(w[0].T) + b[0] + h.dot(w[1].T) + b[1]
        return (numpy.tanh(v) if activation == 'tanh' else numpy.maximum(v, 0)), None
    if kind == 'lstm':
        def g(j):
            return x.dot(w[j].T) + b[j] + h.dot(w[j + 4].T) + b[j + 4]
        i, f, a, o = _sig(g(0)), _sig(g(1)), numpy.tanh(g(2)), _sig(g(3))
        c = f * c + i * a
        return o * numpy.tanh(c), c
    r = _sig(x.dot(w[0].T) + b[0] + h.dot(w[3].T) + b[3])
    z = _sig(x.dot(w[1].T) + b[1] + h.dot(w[4].T) + b[4])
    hb = numpy.tanh(x.dot(w[2].T) + b[2] + r * (h.dot(w[5].T) + b[5]))
    return (1 - z) * hb + z * h, None


def _ref(kind, n_layers, hx, cx, ws, bs, xs, bi, activation='tanh'):
    D = 2 if bi else 1
    hy = hx.copy()
    cy = cx.copy() if cx is not None else None
    inp = xs
    for layer in range(n_layers):
        outs = []
        for d in range(D):
            idx = D * layer + d
            h = hx[idx].copy()
            c = cx[idx].copy() if cx is not None else None
            order = range(len(inp)) if d == 0 else reversed(range(len(inp)))
            out = [None] * len(inp)
            for t in order:
                B = inp[t].shape[0]
                hn, cn = _step(kind, inp[t], h[:B], None if c is None else c[:B],
                               ws[idx], bs[idx], activation)
                h[:B] = hn
                if c is not None:
                    c[:B] = cn
                out[t] = hn
            hy[idx] = h
            if c is not None:
                cy[idx] = c
            outs.append(out)
        inp = [numpy.concatenate([o[t] for o in outs], axis=1) for t in range(len(inp))]
    return hy, cy, inp


def _data(kind, n_layers, bi, dtype=numpy.float64, batches=(3, 2, 1), I=3, N=2, seed=0):
    rng = numpy.random.RandomState(seed)
    D = 2 if bi else 1
    xs = [rng.uniform(-1, 1, (b, I)).astype(dtype) for b in batches]
    hx = rng.uniform(-1, 1, (n_layers * D, batches[0], N)).astype(dtype)
    cx = rng.uniform(-1, 1, hx.shape).astype(dtype) if kind == 'lstm' else None
    ws, bs = [], []
    for layer in range(n_layers):
        for d in range(D):
            in_size = I if layer == 0 else N * D
            ws.append([rng.uniform(-1, 1, (N, in_size if j < N_IN[kind] else N))
                       .astype(dtype) for j in range(N_W[kind])])
            bs.append([rng.uniform(-1, 1, (N,)).astype(dtype)
                       for _ in range(N_W[kind])])
    return hx, cx, ws, bs, xs


def _call(kind, bi, n_layers, hx, cx, ws, bs, xs, activation='tanh'):
    if kind == 'rnn':
        f = F.n_step_birnn if bi else F.n_step_rnn
        hy, ys = f(n_layers, 0.0, hx, ws, bs, xs, activation=activation)
        return hy, None, ys
    if kind == 'lstm':
        f = F.n_step_bilstm if bi else F.n_step_lstm
        return f(n_layers, 0.0, hx, cx, ws, bs, xs)
    f = F.n_step_bigru if bi else F.n_step_gru
    hy, ys = f(n_layers, 0.0, hx, ws, bs, xs)
    return hy, None, ys


KINDS = [(k, bi) for k in ('rnn', 'lstm', 'gru') for bi in (False, True)]
IDS = ['%s-%s' % (k, 'bi' if bi else 'uni') for k, bi in KINDS]


@pytest.mark.parametrize('kind,bi', KINDS, ids=IDS)
@pytest.mark.parametrize('n_layers', [1, 2])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(kind, bi, n_layers, dtype):
    hx, cx, ws, bs, xs = _data(kind, n_layers, bi, dtype)
    hy, cy, ys = _call(kind, bi, n_layers, hx, cx, ws, bs, xs)
    f64 = lambda a: None if a is None else a.astype(numpy.float64)  # noqa
    rhy, rcy, rys = _ref(kind, n_layers, f64(hx), f64(cx), [[f64(w) for w in l] for l in ws],
                         [[f64(b) for b in l] for l in bs], [f64(x) for x in xs], bi)
    tol = dict(rtol=2e-2, atol=2e-2) if dtype == numpy.float16 else \
        dict(rtol=1e-5, atol=1e-6)
    assert hy.dtype == dtype and hy.shape == hx.shape
    numpy.testing.assert_allclose(hy.array, rhy, **tol)
    if kind == 'lstm':
        numpy.testing.assert_allclose(cy.array, rcy, **tol)
    assert len(ys) == len(xs)
    for y, ry in zip(ys, rys):
        numpy.testing.assert_allclose(y.array, ry, **tol)


def test_rnn_relu():
    hx, cx, ws, bs, xs = _data('rnn', 2, False)
    hy, _, ys = _call('rnn', False, 2, hx, cx, ws, bs, xs, activation='relu')
    rhy, _, rys = _ref('rnn', 2, hx, None, ws, bs, xs, False, activation='relu')
    numpy.testing.assert_allclose(hy.array, rhy)


@pytest.mark.parametrize('kind,bi', KINDS, ids=IDS)
def test_backward(kind, bi):
    n_layers = 2
    hx, cx, ws, bs, xs = _data(kind, n_layers, bi, batches=(2, 1), seed=1)
    flat_w = [w for l in ws for w in l]
    flat_b = [b for l in bs for b in l]
    nw, nl = len(ws[0]), len(ws)
    nx = len(xs)
    has_c = cx is not None

    def f(*args):
        k = 0
        h = args[k]
        k += 1
        c = None
        if has_c:
            c = args[k]
            k += 1
        xs_ = list(args[k:k + nx])
        k += nx
        w = list(args[k:k + nw * nl])
        k += nw * nl
        b = list(args[k:k + nw * nl])
        w = [w[i * nw:(i + 1) * nw] for i in range(nl)]
        b = [b[i * nw:(i + 1) * nw] for i in range(nl)]
        hy, cy, ys = _call(kind, bi, n_layers, h, c, w, b, xs_)
        return (hy,) + ((cy,) if has_c else ()) + tuple(ys)

    inputs = [hx] + ([cx] if has_c else []) + xs + flat_w + flat_b
    outs = f(*inputs)
    rng = numpy.random.RandomState(3)
    gys = [rng.uniform(-1, 1, o.shape) for o in outs]
    gradient_check.check_backward(f, inputs, gys, atol=1e-4, rtol=1e-4)


def test_lstm_double_backward():
    hx, cx, ws, bs, xs = _data('lstm', 1, False, batches=(2, 1), seed=4)

    def f(h, c, x0, x1):
        hy, cy, ys = F.n_step_lstm(1, 0.0, h, c, ws, bs, [x0, x1])
        return hy, cy
    rng = numpy.random.RandomState(5)
    gys = [rng.uniform(-1, 1, hx.shape), rng.uniform(-1, 1, cx.shape)]
    inputs = [hx, cx] + xs
    ggs = [rng.uniform(-1, 1, a.shape) for a in inputs]
    gradient_check.check_double_backward(f, inputs, gys, ggs)


def test_dropout_between_layers_only_in_training():
    hx, cx, ws, bs, xs = _data('lstm', 2, False)
    with kusari.using_config('train', False):
        hy1, _, _ = F.n_step_lstm(2, 0.9, hx, cx, ws, bs, xs)
    hy0, _, _ = F.n_step_lstm(2, 0.0, hx, cx, ws, bs, xs)
    numpy.testing.assert_allclose(hy1.array, hy0.array)
    numpy.random.seed(0)
    hy2, _, _ = F.n_step_lstm(2, 0.9, hx, cx, ws, bs, xs)
    # layer 0 gets no dropout; layer 1 does
    numpy.testing.assert_allclose(hy2.array[0], hy0.array[0])
    assert not numpy.allclose(hy2.array[1], hy0.array[1])


def test_noncontiguous():
    hx, cx, ws, bs, xs = _data('gru', 1, False)
    xs_nc = [numpy.asfortranarray(x) for x in xs]
    ws_nc = [[numpy.asfortranarray(w) for w in l] for l in ws]
    hy, _, _ = _call('gru', False, 1, numpy.asfortranarray(hx), None, ws_nc, bs, xs_nc)
    rhy, _, _ = _ref('gru', 1, hx, None, ws, bs, xs, False)
    numpy.testing.assert_allclose(hy.array, rhy)


def test_bad_input():
    hx, cx, ws, bs, xs = _data('lstm', 1, False)
    with pytest.raises(ValueError, match='n_step_lstm'):
        F.n_step_lstm(1, 0.0, hx, cx, ws, bs, [numpy.zeros((3, 5))])
    with pytest.raises(InvalidType, match='n_step_lstm'):
        F.n_step_lstm(2, 0.0, hx, cx, ws, bs, xs)
    with pytest.raises(ValueError, match='n_step_lstm'):
        F.n_step_lstm(1, 0.0, hx, cx, ws, bs, xs[::-1])
    with pytest.raises(ValueError, match='n_step_rnn'):
        F.n_step_rnn(1, 0.0, hx, [w[:2] for w in ws], [b[:2] for b in bs], xs,
                     activation='sigmoid')
    with pytest.raises(ValueError, match='n_step_gru'):
        F.n_step_gru(1, 0.0, hx, ws, bs, xs)


@pytest.mark.gpu
@pytest.mark.parametrize('kind,bi', KINDS, ids=IDS)
def test_gpu(kind, bi):
    import cupy
    hx, cx, ws, bs, xs = _data(kind, 2, bi, numpy.float32)
    g = cupy.asarray
    hy, cy, ys = _call(kind, bi, 2, g(hx), None if cx is None else g(cx),
                       [[g(w) for w in l] for l in ws], [[g(b) for b in l] for l in bs],
                       [g(x) for x in xs])
    rhy, rcy, rys = _ref(kind, 2, hx, cx, ws, bs, xs, bi)
    numpy.testing.assert_allclose(cupy.asnumpy(hy.array), rhy, rtol=1e-4, atol=1e-5)
