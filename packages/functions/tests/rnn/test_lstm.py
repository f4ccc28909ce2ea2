import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _sig(v):
    return 1 / (1 + numpy.exp(-v))


def _ref(c_prev, x):
    c_prev = c_prev.astype(numpy.float64)
    x = x.astype(numpy.float64)
    B = x.shape[0]
    U = c_prev.shape[1]
    # Chainer's layout: column 4u + k is gate k (a, i, f, o) of unit u
    g = x.reshape((B, U, 4) + x.shape[2:])
    a, i, f, o = (g[:, :, k] for k in range(4))
    c = numpy.tanh(a) * _sig(i) + _sig(f) * c_prev[:B]
    h = _sig(o) * numpy.tanh(c)
    c_next = c_prev.copy()
    c_next[:B] = c
    return c_next, h


def _data(dtype, B=3, Bc=3, U=2, rest=(), seed=0):
    rng = numpy.random.RandomState(seed)
    c = rng.uniform(-1, 1, (Bc, U) + rest).astype(dtype)
    x = rng.uniform(-1, 1, (B, 4 * U) + rest).astype(dtype)
    return c, x


CONFIGS = [dict(), dict(B=2, Bc=4), dict(rest=(2,)), dict(B=1, Bc=3, rest=(2,))]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('cfg', CONFIGS)
def test_forward(dtype, cfg):
    c_prev, x = _data(dtype, **cfg)
    c, h = F.lstm(c_prev, x)
    rc, rh = _ref(c_prev, x)
    assert c.dtype == dtype and h.dtype == dtype
    assert c.shape == c_prev.shape and h.shape == rh.shape
    tol = dict(rtol=5e-3, atol=5e-3) if dtype == numpy.float16 else dict(rtol=1e-5,
                                                                         atol=1e-6)
    numpy.testing.assert_allclose(c.array, rc, **tol)
    numpy.testing.assert_allclose(h.array, rh, **tol)


def test_gate_layout():
    # only the forget gate of unit 1 is large: c[1] keeps c_prev[1], the rest decays
    c_prev = numpy.array([[1., 1.]], numpy.float64)
    x = numpy.full((1, 8), -30.)
    x[0, 4 * 1 + 2] = 30.   # f of unit 1
    c, h = F.lstm(c_prev, x)
    numpy.testing.assert_allclose(c.array, [[0., 1.]], atol=1e-10)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('cfg', CONFIGS)
def test_backward(dtype, cfg):
    c_prev, x = _data(dtype, seed=1, **cfg)
    rng = numpy.random.RandomState(2)
    gc = rng.uniform(-1, 1, c_prev.shape).astype(dtype)
    gh = rng.uniform(-1, 1, (x.shape[0],) + c_prev.shape[1:]).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(F.lstm, (c_prev, x), (gc, gh), dtype=numpy.float64,
                                  **tol)


@pytest.mark.parametrize('which', ['c', 'h'])
def test_backward_one_output(which):
    c_prev, x = _data(numpy.float64, B=2, Bc=3)
    gradient_check.check_backward(
        lambda c, x: F.lstm(c, x)[0 if which == 'c' else 1], (c_prev, x),
        numpy.ones((3, 2) if which == 'c' else (2, 2)))


@pytest.mark.parametrize('cfg', CONFIGS)
def test_double_backward(cfg):
    c_prev, x = _data(numpy.float64, seed=3, **cfg)
    rng = numpy.random.RandomState(4)
    gc = rng.uniform(-1, 1, c_prev.shape)
    gh = rng.uniform(-1, 1, (x.shape[0],) + c_prev.shape[1:])
    ggc = rng.uniform(-1, 1, c_prev.shape)
    ggx = rng.uniform(-1, 1, x.shape)
    gradient_check.check_double_backward(F.lstm, (c_prev, x), (gc, gh), (ggc, ggx))


@pytest.mark.parametrize('cfg', CONFIGS)
def test_backward_paths_agree(cfg):
    c_prev, x = _data(numpy.float64, seed=5, **cfg)
    rng = numpy.random.RandomState(6)
    gc = rng.uniform(-1, 1, c_prev.shape)
    gh = rng.uniform(-1, 1, (x.shape[0],) + c_prev.shape[1:])
    vs = [kusari.Variable(c_prev), kusari.Variable(x)]
    g1 = kusari.grad(list(F.lstm(*vs)), vs, [gc, gh])
    g2 = kusari.grad(list(F.lstm(*vs)), vs, [kusari.Variable(gc), kusari.Variable(gh)],
                     enable_double_backprop=True)
    for a, b in zip(g1, g2):
        numpy.testing.assert_allclose(a.array, b.array, rtol=1e-12, atol=1e-12)


def test_noncontiguous():
    c_prev, x = _data(numpy.float32, B=3, Bc=3, U=2)
    c_nc = numpy.asfortranarray(c_prev)
    x_nc = numpy.asfortranarray(x)
    c, h = F.lstm(c_nc, x_nc)
    rc, rh = _ref(c_prev, x)
    numpy.testing.assert_allclose(c.array, rc, rtol=1e-5)
    numpy.testing.assert_allclose(h.array, rh, rtol=1e-5)
    gradient_check.check_backward(F.lstm, (c_nc, x_nc),
                                  (numpy.ones_like(c_prev), numpy.ones_like(h.array)),
                                  dtype=numpy.float64, atol=1e-4, rtol=1e-4)


def test_bad_input():
    c = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='lstm'):
        F.lstm(c, numpy.zeros((2, 10), numpy.float32))
    with pytest.raises(InvalidType, match='lstm'):
        F.lstm(c, numpy.zeros((3, 12), numpy.float32))
    with pytest.raises(InvalidType, match='lstm'):
        F.lstm(c, numpy.zeros((2, 12), numpy.float64))
    with pytest.raises(InvalidType, match='lstm'):
        F.lstm(c.astype(numpy.int32), numpy.zeros((2, 12), numpy.int32))


@pytest.mark.gpu
@pytest.mark.parametrize('cfg', CONFIGS)
def test_gpu(cfg):
    import cupy
    c_prev, x = _data(numpy.float32, **cfg)
    vs = [kusari.Variable(cupy.asarray(c_prev)), kusari.Variable(cupy.asarray(x))]
    c, h = F.lstm(*vs)
    rc, rh = _ref(c_prev, x)
    numpy.testing.assert_allclose(cupy.asnumpy(c.array), rc, rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(cupy.asnumpy(h.array), rh, rtol=1e-5, atol=1e-6)
    gc = numpy.random.rand(*c_prev.shape).astype(numpy.float32)
    gh = numpy.random.rand(*rh.shape).astype(numpy.float32)
    kusari.backward([c, h], [cupy.asarray(gc), cupy.asarray(gh)])
    cv = [kusari.Variable(c_prev), kusari.Variable(x)]
    kusari.backward(list(F.lstm(*cv)), [gc, gh])
    for a, b in zip(vs, cv):
        numpy.testing.assert_allclose(cupy.asnumpy(a.grad), b.grad, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('batch, dtype', [(3, numpy.float32), (2, numpy.float32),
                                          (0, numpy.float32), (3, numpy.float16),
                                          (3, numpy.float64)])
def test_lstm_grad_node(batch, dtype):
    from kusari.functions.rnn.lstm import LSTMGrad
    rng = numpy.random.RandomState(11)
    # forward: the gradients of the cell for the true c_next
    c_prev = rng.uniform(-1, 1, (3, 2, 4))
    x = rng.uniform(-1, 1, (batch, 8, 4))
    vs = [kusari.Variable(c_prev), kusari.Variable(x)]
    c, h = F.lstm(*vs)
    gc, gh = rng.uniform(-1, 1, c.shape), rng.uniform(-1, 1, h.shape)
    got = LSTMGrad()(c_prev, x, c.array, gc, gh)
    want = kusari.grad([c, h], vs, [gc, gh])
    for g, w in zip(got, want):
        numpy.testing.assert_allclose(g.array, w.array, rtol=1e-10, atol=1e-12)
    # its own gradient (c_next an independent input)
    shapes = [(3, 2, 4), (batch, 8, 4), (3, 2, 4), (3, 2, 4), (batch, 2, 4)]
    ins = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ggs = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes[:2]]
    tol = dict(atol=1e-3, rtol=1e-2) if dtype == numpy.float16 else {}
    gradient_check.check_backward(LSTMGrad(), ins, ggs, dtype=numpy.float64, **tol)
