"""The one-call LSTM cell kernel and the fused
``L.LSTM`` step node (``_LinearLSTM``)."""
import importlib

import numpy
import pytest

import kusari
from kusari import gradient_check

K = importlib.import_module('kusari.functions.rnn._lstm_kernels')
M = importlib.import_module('kusari.functions.rnn.lstm')


def _sig(v):
    return 1 / (1 + numpy.exp(-v))


def _cell(c_prev, x):
    c_prev = c_prev.astype(numpy.float64)
    g = x.astype(numpy.float64).reshape(x.shape[0], -1, 4)
    a, i, f, o = (g[:, :, k] for k in range(4))
    c = numpy.tanh(a) * _sig(i) + _sig(f) * c_prev[:x.shape[0]]
    c_next = c_prev.copy()
    c_next[:x.shape[0]] = c
    return c_next, _sig(o) * numpy.tanh(c)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('B,Bc', [(3, 3), (2, 4)])
def test_forward_act(dtype, B, Bc):
    rng = numpy.random.default_rng(0)
    U = 5
    c = rng.uniform(-2, 2, (Bc, U)).astype(dtype)
    x = rng.uniform(-3, 3, (B, 4 * U)).astype(dtype)
    act = numpy.empty_like(x)
    cn = numpy.empty_like(c)
    co = numpy.empty((B, U), dtype)
    h = numpy.empty((B, U), dtype)
    K.forward_act(c, x, act, cn, co, h)
    rc, rh = _cell(c, x)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == numpy.float32 else dict(rtol=1e-12)
    numpy.testing.assert_allclose(cn, rc, **tol)
    numpy.testing.assert_allclose(h, rh, **tol)
    numpy.testing.assert_allclose(co, numpy.tanh(rc[:B]), **tol)
    scale = numpy.tile([1, .5, .5, .5], U)
    numpy.testing.assert_allclose(act, numpy.tanh(x * scale), **tol)
    with pytest.raises(ValueError, match='lstm kernel'):
        K.forward_act(c, x, act, cn, co, h[:1])


def _lstm_inputs(dtype, with_h, B=3, n_in=4, U=2, seed=0):
    rng = numpy.random.default_rng(seed)
    ins = [rng.uniform(-1, 1, (B, U)), rng.uniform(-1, 1, (B, n_in)),
           rng.uniform(-1, 1, (4 * U, n_in)), rng.uniform(-1, 1, 4 * U)]
    if with_h:
        ins += [rng.uniform(-1, 1, (B, U)), rng.uniform(-1, 1, (4 * U, U))]
    return [a.astype(dtype) for a in ins]


@pytest.mark.parametrize('with_h', [False, True])
@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
def test_linear_lstm_forward(with_h, dtype):
    ins = _lstm_inputs(dtype, with_h)
    c, h = M._linear_lstm(*ins)
    gates = ins[1] @ ins[2].T + ins[3]
    if with_h:
        gates = gates + ins[4] @ ins[5].T
    rc, rh = _cell(ins[0], gates)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == numpy.float32 else dict(rtol=1e-12)
    numpy.testing.assert_allclose(c.array, rc, **tol)
    numpy.testing.assert_allclose(h.array, rh, **tol)
    assert c.dtype == dtype and h.dtype == dtype


@pytest.mark.parametrize('with_h', [False, True])
def test_linear_lstm_backward(with_h):
    ins = _lstm_inputs(numpy.float64, with_h)
    rng = numpy.random.default_rng(1)
    gys = [rng.uniform(-1, 1, ins[0].shape), rng.uniform(-1, 1, ins[0].shape)]
    gradient_check.check_backward(M._linear_lstm, tuple(ins), tuple(gys),
                                  dtype=numpy.float64, atol=1e-6, rtol=1e-5)
    # one missing output gradient
    gradient_check.check_backward(lambda *a: M._linear_lstm(*a)[1], tuple(ins), gys[1],
                                  dtype=numpy.float64, atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('with_h', [False, True])
def test_linear_lstm_double_backward(with_h):
    ins = _lstm_inputs(numpy.float64, with_h, B=2, n_in=3, U=2)
    rng = numpy.random.default_rng(2)
    gys = tuple(rng.uniform(-1, 1, ins[0].shape) for _ in range(2))
    ggs = tuple(rng.uniform(-1, 1, a.shape) for a in ins)
    gradient_check.check_double_backward(M._linear_lstm, tuple(ins), gys, ggs,
                                         dtype=numpy.float64, atol=1e-5, rtol=1e-4)


def test_linear_lstm_arrays_and_variables_agree():
    # backward_array (double backprop off) against backward (on)
    ins = _lstm_inputs(numpy.float64, True)
    grads = []
    for dbl in (False, True):
        vs = [kusari.Variable(a.copy()) for a in ins]
        c, h = M._linear_lstm(*vs)
        loss = kusari.functions.sum(c * c) + kusari.functions.sum(h)
        loss.backward(enable_double_backprop=dbl)
        grads.append([v.grad for v in vs])
    for a, b in zip(*grads):
        numpy.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
