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
    a = numpy.tanh(g1[:, :, 0] + g2[:, :, 0])
    i = _sig(g1[:, :, 1] + g2[:, :, 1])
    o = _sig(g1[:, :, 3] + g2[:, :, 3])
    c = a * i + _sig(g1[:, :, 2]) * c1 + _sig(g2[:, :, 2]) * c2
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
    tol = dict(rtol=5e-3, atol=5e-3) if dtype == numpy.float16 else dict(rtol=1e-5)
    assert c.dtype == dtype
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
