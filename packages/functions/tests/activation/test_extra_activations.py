"""The shared checks of the activations kusari adds beyond Chainer (gelu in both forms,
silu, mish, softsign, hard_swish, log_sigmoid): forward against a float64 NumPy/SciPy
reference, numerical gradients (first and second order, through ``H.check_grads``),
non-contiguous inputs, 0-d inputs, a bad dtype, and the GPU against the CPU.
Function-specific behaviour is tested in each function's own file."""
import numpy
import pytest
from scipy import special

import kusari
from kusari.functions import gelu, hard_swish, log_sigmoid, mish, silu, softsign

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
SHAPES = [(), (5,), (3, 4), (2, 3, 4)]


def _gelu_tanh(x):
    return gelu(x, approximate='tanh')


# name: (function, float64 reference, points where the derivative jumps, node label)
CASES = {
    'gelu': (gelu, lambda x: x * 0.5 * (1 + special.erf(x / numpy.sqrt(2))), [], 'GELU'),
    'gelu_tanh': (_gelu_tanh, lambda x: 0.5 * x * (1 + numpy.tanh(
        numpy.sqrt(2 / numpy.pi) * (x + 0.044715 * x ** 3))), [], 'GELU'),
    'silu': (silu, lambda x: x / (1 + numpy.exp(-x)), [], 'SiLU'),
    'mish': (mish, lambda x: x * numpy.tanh(numpy.log1p(numpy.exp(x))), [], 'Mish'),
    'softsign': (softsign, lambda x: x / (1 + abs(x)), [0.0], 'Softsign'),
    'hard_swish': (hard_swish, lambda x: x * numpy.clip(x + 3, 0, 6) / 6, [-3.0, 3.0],
                   'HardSwish'),
    'log_sigmoid': (log_sigmoid, lambda x: -numpy.log1p(numpy.exp(-x)), [], 'LogSigmoid'),
}
NAMES = sorted(CASES)


def ref(name, x):
    return CASES[name][1](x.astype(numpy.float64))


def make(name, shape, dtype, low=-4, high=4):
    x = numpy.random.uniform(low, high, shape)
    x = away_from_kinks(x, CASES[name][2])
    return x.astype(dtype)


def away_from_kinks(x, kinks, gap=0.1):
    x = numpy.array(x, numpy.float64)
    for p in kinks:
        close = abs(x - p) < gap
        x[close] = p + numpy.where(x[close] >= p, 2 * gap, -2 * gap)
    return x


@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', SHAPES)
def test_forward(H, name, dtype, shape):
    x = make(name, shape, dtype)
    H.check_forward(CASES[name][0], (x,), ref(name, x), dtype)


@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('dtype', DTYPES)
def test_forward_noncontiguous(H, name, dtype):
    x = H.noncontiguous(make(name, (3, 4), dtype))
    H.check_forward(CASES[name][0], (x,), ref(name, x), dtype)


@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(5,), (2, 3, 4)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, name, dtype, shape, contiguous):
    x = make(name, shape, dtype)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(CASES[name][0], (x,), gy, dtype)


@pytest.mark.parametrize('name', NAMES)
def test_backward_scalar(H, name):
    x = make(name, (), numpy.float64)
    H.check_grads(CASES[name][0], (x,), numpy.array(0.7), numpy.float64)


@pytest.mark.parametrize('name', NAMES)
def test_invalid(H, name):
    H.check_invalid(CASES[name][0], (numpy.zeros((2, 3), numpy.int32),), CASES[name][3])


@pytest.mark.gpu
@pytest.mark.parametrize('name', NAMES)
@pytest.mark.parametrize('dtype', DTYPES)
def test_gpu(name, dtype):
    import cupy
    from kusari import gradient_check, testing
    f = CASES[name][0]
    x = make(name, (3, 4), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else dict(atol=1e-5,
                                                                          rtol=1e-5)
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
