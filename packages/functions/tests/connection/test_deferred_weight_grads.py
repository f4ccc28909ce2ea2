"""Weights shared over many steps (RNN style): ``backward`` defers their gradients
and sums all steps at once; the result must equal ``kusari.grad`` (which evaluates
every term immediately) and a NumPy reference."""
import importlib

import numpy
import pytest

import kusari
import kusari.functions as F

LSTM = importlib.import_module('kusari.functions.rnn.lstm')
LINEAR = importlib.import_module('kusari.functions.connection.linear')


def _both(loss_fn, params):
    for p in params:
        p.cleargrad()
    loss = loss_fn()
    loss.backward()
    deferred = [p.grad.copy() for p in params]
    immediate = kusari.grad([loss_fn()], params)
    return deferred, [g.array for g in immediate]


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_linear_shared_over_steps(dtype, monkeypatch):
    answers = []

    def spy(node):
        answers.append(kusari.function_node.defers_grad(node))
        return answers[-1]
    monkeypatch.setattr(LINEAR, '_defers_grad', spy)
    rng = numpy.random.default_rng(0)
    W = kusari.Parameter(rng.standard_normal((5, 4)).astype(dtype))
    b = kusari.Parameter(rng.standard_normal(5).astype(dtype))
    xs = [rng.standard_normal((3, 4)).astype(dtype) for _ in range(6)]

    def loss_fn():
        total = 0
        for x in xs:
            total = total + F.sum(F.linear(x, W, b) ** 2)
        return total

    (gW, gb), (rW, rb) = _both(loss_fn, [W, b])
    assert answers == [True] * 6 + [False] * 6     # backward defers, grad() does not

    want = sum((2 * (x @ W.array.T + b.array)).T @ x for x in xs)
    tol = 1e-4 if dtype == numpy.float32 else 1e-10
    numpy.testing.assert_allclose(gW, want, rtol=tol, atol=tol)
    numpy.testing.assert_allclose(gW, rW, rtol=tol, atol=tol)
    numpy.testing.assert_allclose(gb, rb, rtol=tol, atol=tol)
    assert gW.dtype == dtype


@pytest.mark.parametrize('ignore_label', [None, -1])
def test_embed_id_shared_over_steps(ignore_label):
    rng = numpy.random.default_rng(1)
    W = kusari.Parameter(rng.standard_normal((7, 3)).astype(numpy.float32))
    ids = [rng.integers(0, 7, 4).astype(numpy.int32) for _ in range(5)]
    if ignore_label is not None:
        ids[2][1] = ignore_label

    def loss_fn():
        total = 0
        for t, x in enumerate(ids):
            total = total + F.sum(F.embed_id(x, W, ignore_label=ignore_label) * (t + 1.0))
        return total

    (gW,), (rW,) = _both(loss_fn, [W])
    want = numpy.zeros((7, 3))
    for t, x in enumerate(ids):
        for i in x:
            if i != ignore_label:
                want[i] += t + 1.0
    numpy.testing.assert_allclose(gW, want, rtol=1e-6)
    numpy.testing.assert_allclose(gW, rW, rtol=1e-6)


def test_fused_lstm_step_weights_shared_over_steps():
    rng = numpy.random.default_rng(2)
    B, I, U = 3, 4, 5
    Wu = kusari.Parameter(rng.standard_normal((4 * U, I)).astype(numpy.float32) * 0.3)
    bu = kusari.Parameter(rng.standard_normal(4 * U).astype(numpy.float32) * 0.1)
    Wl = kusari.Parameter(rng.standard_normal((4 * U, U)).astype(numpy.float32) * 0.3)
    xs = [rng.standard_normal((B, I)).astype(numpy.float32) for _ in range(4)]

    def loss_fn():
        c = numpy.zeros((B, U), numpy.float32)
        h = None
        total = 0
        for x in xs:
            if h is None:
                c, h = LSTM._linear_lstm(c, x, Wu, bu)
            else:
                c, h = LSTM._linear_lstm(c, x, Wu, bu, h, Wl)
            total = total + F.sum(h * h)
        return total

    deferred, immediate = _both(loss_fn, [Wu, bu, Wl])
    for d, r in zip(deferred, immediate):
        numpy.testing.assert_allclose(d, r, rtol=1e-5, atol=1e-6)
    # and against the unfused graph (lstm of the two linear maps)

    def unfused():
        c = numpy.zeros((B, U), numpy.float32)
        h = None
        total = 0
        for x in xs:
            g = F.linear(x, Wu, bu)
            if h is not None:
                g = g + F.linear(h, Wl)
            c, h = F.lstm(c, g)
            total = total + F.sum(h * h)
        return total

    ref = kusari.grad([unfused()], [Wu, bu, Wl])
    for d, r in zip(deferred, ref):
        numpy.testing.assert_allclose(d, r.array, rtol=1e-4, atol=1e-5)


def test_large_batches_are_not_deferred(monkeypatch):
    asked = []
    monkeypatch.setattr(LINEAR, '_defers_grad', lambda n: asked.append(n) or True)
    W = kusari.Parameter(numpy.ones((3, 4), numpy.float32))
    x = numpy.ones((LINEAR.DEFER_MAX_ROWS + 1, 4), numpy.float32)
    F.sum(F.linear(x, W)).backward()
    assert asked == []
    numpy.testing.assert_allclose(W.grad, numpy.full((3, 4), LINEAR.DEFER_MAX_ROWS + 1))
