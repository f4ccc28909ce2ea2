"""Tests of kusari.functions.gelu."""
import numpy
import pytest
from scipy import special

import kusari
from kusari.functions.activation import gelu

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
SHAPES = [(), (5,), (3, 4), (2, 3, 4)]
KINKS = []


def ref(x):
    x = x.astype(numpy.float64)
    return x * 0.5 * (1 + special.erf(x / numpy.sqrt(2)))


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
    H.check_forward(gelu, (x,), ref(x), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_forward_noncontiguous(H, dtype):
    x = H.noncontiguous(make((3, 4), dtype))
    H.check_forward(gelu, (x,), ref(x), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(5,), (2, 3, 4)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, dtype, shape, contiguous):
    x = make(shape, dtype)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(gelu, (x,), gy, dtype)


def test_backward_scalar(H):
    x = make((), numpy.float64)
    H.check_grads(gelu, (x,), numpy.array(0.7), numpy.float64)


def test_invalid(H):
    H.check_invalid(gelu, (numpy.zeros((2, 3), numpy.int32),), 'GELU')


def ref_tanh(x):
    x = x.astype(numpy.float64)
    return 0.5 * x * (1 + numpy.tanh(numpy.sqrt(2 / numpy.pi) * (x + 0.044715 * x ** 3)))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES)
def test_forward_tanh(H, dtype, shape):
    x = make(shape, dtype)
    H.check_forward(lambda x: gelu(x, approximate='tanh'), (x,), ref_tanh(x), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward_tanh(H, dtype, contiguous):
    x = make((3, 4), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(lambda x: gelu(x, approximate='tanh'), (x,), gy, dtype)


def test_tanh_close_to_exact():
    x = numpy.linspace(-5, 5, 101)
    numpy.testing.assert_allclose(gelu(x, 'tanh').array, gelu(x).array, atol=1e-3)
    assert not numpy.allclose(gelu(x, 'tanh').array, gelu(x).array, atol=1e-6, rtol=0)


def test_bad_approximate():
    with pytest.raises(ValueError, match='gelu'):
        gelu(numpy.zeros(3), approximate='erf')


def test_exact_tail_precision():
    # erfc keeps the tiny negative tail exact where 1 + erf would cancel to 0
    x = numpy.array([-10.0, -20.0])
    numpy.testing.assert_allclose(gelu(x).array, x * 0.5 * special.erfc(-x / numpy.sqrt(2)),
                                  rtol=1e-12)
    assert gelu(x).array[0] != 0


@pytest.mark.gpu
@pytest.mark.parametrize('dtype', DTYPES)
def test_gpu(dtype):
    import cupy
    from kusari import gradient_check, testing
    x = make((3, 4), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else dict(atol=1e-5,
                                                                          rtol=1e-5)
    for f in [gelu, lambda x: gelu(x, approximate='tanh')]:
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
