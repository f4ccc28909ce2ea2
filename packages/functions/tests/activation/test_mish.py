"""Tests of kusari.functions.mish."""
import numpy
import pytest

import kusari
from kusari.functions.activation import mish

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
SHAPES = [(), (5,), (3, 4), (2, 3, 4)]
KINKS = []


def ref(x):
    x = x.astype(numpy.float64)
    return x * numpy.tanh(numpy.log1p(numpy.exp(x)))


def make(shape, dtype, low=-4, high=4):
    x = numpy.random.uniform(low, high, shape)
    if KINKS:
        x = numpy.asarray(away_from_kinks(x))
    return x.astype(dtype)


def away_from_kinks(x, gap=0.1):
    x = numpy.array(x, numpy.float64)
    for p in KINKS:
        close = abs(x - p) < gap
        x[close] = p + numpy.where(x[close] >= p, 2 * gap, -2 * gap)
    return x


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES)
def test_forward(H, dtype, shape):
    x = make(shape, dtype)
    H.check_forward(mish, (x,), ref(x), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_forward_noncontiguous(H, dtype):
    x = H.noncontiguous(make((3, 4), dtype))
    H.check_forward(mish, (x,), ref(x), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(5,), (2, 3, 4)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, dtype, shape, contiguous):
    x = make(shape, dtype)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(mish, (x,), gy, dtype)


def test_backward_scalar(H):
    x = make((), numpy.float64)
    H.check_grads(mish, (x,), numpy.array(0.7), numpy.float64)


def test_invalid(H):
    H.check_invalid(mish, (numpy.zeros((2, 3), numpy.int32),), 'Mish')


def test_large_inputs_do_not_overflow():
    with numpy.errstate(all='raise'):
        y = mish(numpy.array([-1000.0, 1000.0])).array
    numpy.testing.assert_allclose(y, [0.0, 1000.0])


@pytest.mark.gpu
@pytest.mark.parametrize('dtype', DTYPES)
def test_gpu(dtype):
    import cupy
    from kusari import gradient_check, testing
    x = make((3, 4), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else dict(atol=1e-5,
                                                                          rtol=1e-5)
    for f in [mish]:
        testing.assert_allclose(f(cupy.asarray(x)).array, f(x).array, **tol)
        vx = kusari.Variable(cupy.asarray(x))
        y = f(vx)
        y.grad = cupy.asarray(gy)
        y.backward()
        vc = kusari.Variable(x)
        yc = f(vc)
        yc.grad = gy
        yc.backward()
        testing.assert_allclose(vx.grad, vc.grad, **tol)
        gradient_check.check_backward(f, cupy.asarray(x), cupy.asarray(gy),
                                      dtype=numpy.float64, atol=5e-2, rtol=5e-2)
