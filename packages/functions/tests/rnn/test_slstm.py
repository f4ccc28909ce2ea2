import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _sig(v):
    return 1 / (1 + numpy.exp(-v))


def _ref(c1, c2, x1, x2):
    B, U = c1.shape[:2]
    g1 = x1.reshape((B, U, 4) + x1.shape[2:])
    g2 = x2.reshape((B, U, 4) + x2.shape[2:])
    # Chainer's S-LSTM: one input gate per child
    o = _sig(g1[:, :, 3] + g2[:, :, 3])
    c = (numpy.tanh(g1[:, :, 0]) * _sig(g1[:, :, 1]) + numpy.tanh(g2[:, :, 0])
         * _sig(g2[:, :, 1]) + _sig(g1[:, :, 2]) * c1 + _sig(g2[:, :, 2]) * c2)
    return c, o * numpy.tanh(c)


def _data(dtype, rest=(), seed=0):
    rng = numpy.random.RandomState(seed)
    c1, c2 = (rng.uniform(-1, 1, (3, 2) + rest).astype(dtype) for _ in range(2))
    x1, x2 = (rng.uniform(-1, 1, (3, 8) + rest).astype(dtype) for _ in range(2))
    return [c1, c2, x1, x2]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('rest', [(), (2,)])
def test_forward(dtype, rest):
    xs = _data(dtype, rest)
    c, h = F.slstm(*xs)
    rc, rh = _ref(*[x.astype(numpy.float64) for x in xs])
    # float16: computed in float32 and rounded once
    tol = dict(rtol=1e-3, atol=1e-3) if dtype == numpy.float16 else dict(rtol=1e-5)
    assert c.dtype == dtype and h.dtype == dtype
    numpy.testing.assert_allclose(c.array, rc, **tol)
    numpy.testing.assert_allclose(h.array, rh, **tol)


@pytest.mark.parametrize('dtype', DTYPES)
def test_backward(dtype):
    xs = _data(dtype, seed=1)
    rng = numpy.random.RandomState(2)
    gys = [rng.uniform(-1, 1, (3, 2)).astype(dtype) for _ in range(2)]
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(F.slstm, xs, gys, dtype=numpy.float64, **tol)


def test_double_backward():
    xs = _data(numpy.float64, seed=3)
    rng = numpy.random.RandomState(4)
    gys = [rng.uniform(-1, 1, (3, 2)) for _ in range(2)]
    ggxs = [rng.uniform(-1, 1, x.shape) for x in xs]
    gradient_check.check_double_backward(F.slstm, xs, gys, ggxs)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('missing', [0, 1])
def test_double_backward_with_a_missing_output_gradient(dtype, missing):
    xs = _data(dtype, rest=(2,), seed=6)
    rng = numpy.random.RandomState(7)
    gy = rng.uniform(-1, 1, (3, 2, 2)).astype(dtype)
    ggxs = [rng.uniform(-1, 1, x.shape).astype(dtype) for x in xs]
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)

    def f(*xs):     # the other output is unused: its gradient is None
        return F.slstm(*xs)[1 - missing]

    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, xs, gy, ggxs, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('dtype', DTYPES)
def test_slstm_grad_node(dtype):
    from kusari.functions.rnn.slstm import SLSTMGrad
    rng = numpy.random.RandomState(8)
    shapes = [(3, 2, 4)] * 2 + [(3, 8, 4)] * 2 + [(3, 2, 4)] * 3
    ins = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ggs = [rng.uniform(-1, 1, s).astype(dtype) for s in shapes[:4]]
    # forward: the analytic gradient of the cell, c given (here: the true c)
    xs = _data(numpy.float64, rest=(4,), seed=9)
    import kusari
    vs = [kusari.Variable(x) for x in xs]
    c, h = F.slstm(*vs)
    gc, gh = rng.uniform(-1, 1, (2,) + c.shape)
    got = SLSTMGrad()(*xs, c.array, gc, gh)
    want = kusari.grad([c, h], vs, [gc, gh])
    for g, w in zip(got, want):
        numpy.testing.assert_allclose(g.array, w.array, rtol=1e-10)
    tol = dict(atol=1e-3, rtol=1e-2) if dtype == numpy.float16 else {}
    gradient_check.check_backward(SLSTMGrad(), ins, ggs, dtype=numpy.float64, **tol)


def test_noncontiguous():
    xs = _data(numpy.float64, seed=5)
    c, h = F.slstm(*[numpy.asfortranarray(x) for x in xs])
    rc, rh = _ref(*xs)
    numpy.testing.assert_allclose(h.array, rh)


def test_bad_input():
    xs = _data(numpy.float32)
    with pytest.raises(InvalidType, match='slstm'):
        F.slstm(xs[0], xs[1], xs[2][:, :6], xs[3][:, :6])
    with pytest.raises(InvalidType, match='slstm'):
        F.slstm(xs[0], xs[1].astype(numpy.float64), xs[2], xs[3])


@pytest.mark.gpu
def test_gpu():
    import cupy
    xs = _data(numpy.float32)
    c, h = F.slstm(*[cupy.asarray(x) for x in xs])
    rc, rh = _ref(*[x.astype(numpy.float64) for x in xs])
    numpy.testing.assert_allclose(cupy.asnumpy(h.array), rh, rtol=1e-5, atol=1e-6)
