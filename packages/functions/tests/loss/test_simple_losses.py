"""Tests of the elementwise / regression losses: mean_squared_error, squared_error,
absolute_error, mean_absolute_error, bernoulli_nll, gaussian_kl_divergence,
gaussian_nll, huber_loss."""
import math

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _huber_ref(x, t, delta=1.0, reduce='sum_along_second_axis'):
    d = x - t
    a = numpy.abs(d)
    y = numpy.where(a <= delta, 0.5 * d * d, delta * (a - 0.5 * delta))
    return y.sum(1) if reduce == 'sum_along_second_axis' else y


def _softplus(y):
    return numpy.log1p(numpy.exp(-numpy.abs(y))) + numpy.maximum(y, 0)


# name -> (function, reference, number of inputs, input range, has double backprop)
CASES = {
    'mean_squared_error': (F.mean_squared_error,
                           lambda a, b: ((a - b) ** 2).mean(), 2),
    'squared_error': (F.squared_error, lambda a, b: (a - b) ** 2, 2),
    'absolute_error': (F.absolute_error, lambda a, b: numpy.abs(a - b), 2),
    'mean_absolute_error': (F.mean_absolute_error,
                            lambda a, b: numpy.abs(a - b).mean(), 2),
    'bernoulli_nll': (F.bernoulli_nll, lambda x, y: (_softplus(y) - x * y).sum(), 2),
    'bernoulli_nll_no': (lambda x, y: F.bernoulli_nll(x, y, reduce='no'),
                         lambda x, y: _softplus(y) - x * y, 2),
    'gaussian_kl_divergence': (
        F.gaussian_kl_divergence,
        lambda m, v: (0.5 * (m * m + numpy.exp(v) - v - 1)).sum(), 2),
    'gaussian_kl_divergence_no': (
        lambda m, v: F.gaussian_kl_divergence(m, v, reduce='no'),
        lambda m, v: 0.5 * (m * m + numpy.exp(v) - v - 1), 2),
    'gaussian_nll': (
        F.gaussian_nll,
        lambda x, m, v: (0.5 * (v + math.log(2 * math.pi))
                         + 0.5 * (x - m) ** 2 * numpy.exp(-v)).sum(), 3),
    'gaussian_nll_no': (
        lambda x, m, v: F.gaussian_nll(x, m, v, reduce='no'),
        lambda x, m, v: 0.5 * (v + math.log(2 * math.pi))
        + 0.5 * (x - m) ** 2 * numpy.exp(-v), 3),
    'bernoulli_nll_mean': (lambda x, y: F.bernoulli_nll(x, y, reduce='mean'),
                           lambda x, y: (_softplus(y) - x * y).mean(), 2),
    'gaussian_kl_divergence_mean': (
        lambda m, v: F.gaussian_kl_divergence(m, v, reduce='mean'),
        lambda m, v: (0.5 * (m * m + numpy.exp(v) - v - 1)).mean(), 2),
    'gaussian_nll_mean': (
        lambda x, m, v: F.gaussian_nll(x, m, v, reduce='mean'),
        lambda x, m, v: (0.5 * (v + math.log(2 * math.pi))
                         + 0.5 * (x - m) ** 2 * numpy.exp(-v)).mean(), 3),
    'huber_loss': (lambda x, t: F.huber_loss(x, t, 1.0), _huber_ref, 2),
    'huber_loss_no': (lambda x, t: F.huber_loss(x, t, 1.0, reduce='no'),
                      lambda x, t: _huber_ref(x, t, reduce='no'), 2),
}


def _inputs(n, shape, dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    xs = [rng.uniform(-2, 2, shape).astype(dtype) for _ in range(n)]
    # keep |x0 - x1| away from the kinks of |.| and huber
    d = xs[0].astype(numpy.float64) - xs[1]
    bump = numpy.where(numpy.abs(d) < 0.1, 0.3, 0.0)
    bump = numpy.where(numpy.abs(numpy.abs(d) - 1.0) < 0.1, 0.3, bump)
    xs[0] = (xs[0] + bump).astype(dtype)
    return xs


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype', DTYPES)
def test_forward(name, dtype):
    f, ref, n = CASES[name]
    xs = _inputs(n, (3, 4), dtype)
    y = f(*xs)
    assert y.dtype == dtype
    expect = ref(*[x.astype(numpy.float64) for x in xs])
    assert y.shape == numpy.shape(expect)
    tol = dict(rtol=1e-2, atol=1e-2) if dtype == numpy.float16 else dict(rtol=1e-5)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **tol)


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype', DTYPES)
def test_backward(name, dtype):
    f, ref, n = CASES[name]
    xs = _inputs(n, (3, 4), dtype, seed=1)
    y = f(*xs)
    gy = numpy.random.RandomState(5).uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('name', sorted(CASES))
def test_double_backward(name):
    f, ref, n = CASES[name]
    xs = _inputs(n, (2, 3), numpy.float64, seed=2)
    rng = numpy.random.RandomState(6)
    gy = rng.uniform(-1, 1, f(*xs).shape)
    ggxs = [rng.uniform(-1, 1, x.shape) for x in xs]
    gradient_check.check_double_backward(f, xs, gy, ggxs)


@pytest.mark.parametrize('name', sorted(CASES))
def test_noncontiguous(name):
    f, ref, n = CASES[name]
    xs = [numpy.asfortranarray(x) for x in _inputs(n, (4, 3), numpy.float64, seed=3)]
    xs = [x[:, ::2] for x in xs]
    numpy.testing.assert_allclose(f(*xs).array, ref(*xs))
    gy = numpy.ones(f(*xs).shape)
    gradient_check.check_backward(f, xs, gy)


@pytest.mark.parametrize('name', ['mean_squared_error', 'squared_error',
                                  'absolute_error', 'mean_absolute_error'])
def test_backward_array_agrees_with_backward(name):
    f = CASES[name][0]
    xs = _inputs(2, (3, 4), numpy.float64, seed=4)
    v1 = [kusari.Variable(x) for x in xs]
    y1 = f(*v1)
    gy = numpy.random.RandomState(0).uniform(-1, 1, y1.shape)
    g_arr = kusari.grad([y1], v1, [gy])
    v2 = [kusari.Variable(x) for x in xs]
    g_var = kusari.grad([f(*v2)], v2, [kusari.Variable(gy)], enable_double_backprop=True)
    for a, b in zip(g_arr, g_var):
        numpy.testing.assert_allclose(a.array, b.array)


@pytest.mark.parametrize('f,name', [
    (F.mean_squared_error, 'mean_squared_error'),
    (F.squared_error, 'squared_error'),
    (F.absolute_error, 'absolute_error'),
    (F.mean_absolute_error, 'mean_absolute_error'),
    (F.bernoulli_nll, 'bernoulli_nll'),
    (F.gaussian_kl_divergence, 'gaussian_kl_divergence'),
    (lambda a, b: F.gaussian_nll(a, b, b), 'gaussian_nll'),
    (lambda a, b: F.huber_loss(a, b, 1.0), 'huber_loss'),
])
def test_bad_input(f, name):
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match=name):
        f(a, numpy.zeros((2, 3), numpy.float64))
    with pytest.raises(InvalidType, match=name):
        f(a, numpy.zeros((3, 2), numpy.float32))
    with pytest.raises(InvalidType, match=name):
        f(numpy.zeros((2, 3), numpy.int32), numpy.zeros((2, 3), numpy.int32))


@pytest.mark.parametrize('f', [F.bernoulli_nll, F.gaussian_kl_divergence,
                               lambda a, b, reduce: F.huber_loss(a, b, 1., reduce=reduce)])
def test_bad_reduce(f):
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='reduce'):
        f(a, a, reduce='invalid_option')
    with pytest.raises(ValueError, match='reduce'):
        F.gaussian_nll(a, a, a, reduce='invalid_option')


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(CASES))
def test_gpu(name):
    import cupy
    f, ref, n = CASES[name]
    xs = _inputs(n, (3, 4), numpy.float32)
    y = f(*[cupy.asarray(x) for x in xs])
    numpy.testing.assert_allclose(cupy.asnumpy(y.array), f(*xs).array, rtol=1e-5,
                                  atol=1e-6)


def test_mean_absolute_error_float16_does_not_overflow():
    # 16384 differences of 4 sum to 65536 > float16's max: Chainer gives 4
    x0 = numpy.full((64, 1, 16, 16), 2, numpy.float16)
    y = F.mean_absolute_error(x0, -x0)
    assert y.dtype == numpy.float16 and float(y.array) == 4.0
