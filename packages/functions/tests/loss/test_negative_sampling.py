import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari import testing
from kusari.utils import WalkerAlias
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
B, D, V, S = 4, 3, 5, 2


def _data(dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-1, 1, (B, D)).astype(dtype)
    W = rng.uniform(-1, 1, (V, D)).astype(dtype)
    t = rng.randint(0, V, B).astype(numpy.int32)
    t[1] = -1                                         # ignored
    samples = rng.randint(0, V, (B, S + 1)).astype(numpy.int32)
    return x, t, W, (lambda shape: samples.copy()), samples


def _ref(x, t, W, samples):
    x, W = x.astype(numpy.float64), W.astype(numpy.float64)

    def logsig(z):
        return -numpy.logaddexp(0, -z)
    out = numpy.zeros(len(x))
    for b in range(len(x)):
        if t[b] == -1:
            continue
        out[b] = -logsig(W[t[b]] @ x[b]) - sum(logsig(-W[k] @ x[b])
                                               for k in samples[b, 1:])
    return out


def _tol(dtype):
    return dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else \
        dict(atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_forward(dtype, reduce):
    x, t, W, sampler, samples = _data(dtype)
    y, ret = F.negative_sampling(x, t, W, sampler, S, reduce=reduce, return_samples=True)
    ref = _ref(x, t, W, samples)
    expected = ref.sum() if reduce == 'sum' else ref
    assert y.dtype == dtype and y.shape == numpy.shape(expected)
    testing.assert_allclose(y.array.astype(numpy.float64), expected, **_tol(dtype))
    assert ret.shape == (B, S + 1)
    numpy.testing.assert_array_equal(ret[:, 0], t)
    numpy.testing.assert_array_equal(ret[:, 1:], samples[:, 1:])


def test_forward_noncontiguous_and_default_return():
    x, t, W, sampler, samples = _data(numpy.float64)
    Wn = numpy.asfortranarray(W)
    xn = numpy.repeat(x, 2, axis=1)[:, ::2]
    y = F.negative_sampling(kusari.Variable(xn), t, Wn, sampler, S)
    assert isinstance(y, kusari.Variable)
    testing.assert_allclose(y.array, _ref(x, t, W, samples).sum())


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['sum', 'no'])
def test_backward(dtype, reduce):
    x, t, W, sampler, samples = _data(dtype)
    gy = None if reduce == 'sum' else \
        numpy.random.RandomState(1).uniform(-1, 1, B).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(
        lambda x, W: F.negative_sampling(x, t, W, sampler, S, reduce=reduce), (x, W),
        gy, dtype=numpy.float64, **tol)


def test_ignored_rows_get_no_gradient():
    x, t, W, sampler, samples = _data(numpy.float64)
    v = kusari.Variable(x)
    F.negative_sampling(v, t, W, sampler, S).backward()
    assert numpy.all(v.grad[1] == 0) and numpy.any(v.grad[0] != 0)


def test_double_backward():
    x, t, W, sampler, samples = _data(numpy.float64)
    rng = numpy.random.RandomState(2)
    gradient_check.check_double_backward(
        lambda x, W: F.negative_sampling(x, t, W, sampler, S, reduce='no'), (x, W),
        rng.uniform(-1, 1, B), (rng.uniform(-1, 1, x.shape), rng.uniform(-1, 1, W.shape)),
        atol=1e-4, rtol=1e-4)


def test_invalid():
    x, t, W, sampler, samples = _data(numpy.float32)
    cases = [
        ((x.astype(numpy.int32), t, W), 'x.dtype'),
        ((x[0], t, W), 'x.ndim'),
        ((x, t, W[:, :2]), 'W.shape'),
        ((x, t, W.astype(numpy.float64)), 'x.dtype == W.dtype'),
        ((x, t[:2], W), 't.ndim'),
        ((x, t.astype(numpy.float32), W), 't.dtype'),
    ]
    for args, match in cases:
        with pytest.raises(InvalidType) as e:
            F.negative_sampling(*args, sampler, S)
        assert 'negative_sampling' in str(e.value) and match in str(e.value)
    with pytest.raises(ValueError, match='negative_sampling'):
        F.negative_sampling(x, t + V, W, sampler, S)
    with pytest.raises(ValueError, match='negative_sampling'):
        F.negative_sampling(x, t, W, lambda shape: numpy.full(shape, V), S)
    with pytest.raises(ValueError, match="'reduce'"):
        F.negative_sampling(x, t, W, sampler, S, reduce='mean')
    with pytest.raises(TypeError, match='unexpected'):
        F.negative_sampling(x, t, W, sampler, S, return_sample=True)


def test_walker_alias_distribution():
    numpy.random.seed(0)
    probs = numpy.array([1.0, 0.0, 3.0, 4.0, 2.0])
    w = WalkerAlias(probs)
    s = w.sample((20000,))
    assert s.dtype == numpy.int32 and s.shape == (20000,)
    freq = numpy.bincount(s, minlength=5) / s.size
    testing.assert_allclose(freq, probs / probs.sum(), atol=0.015)
    assert freq[1] == 0
    assert w.threshold.dtype == numpy.float32 and w.values.shape == (10,)
    assert w.sample((2, 3)).shape == (2, 3)


def test_walker_alias_invalid():
    for bad in ([], [0.0, 0.0], [1.0, -1.0], [numpy.nan]):
        with pytest.raises(ValueError, match='WalkerAlias'):
            WalkerAlias(bad)


@pytest.mark.gpu
def test_gpu_matches_cpu():
    import cupy
    x, t, W, sampler, samples = _data(numpy.float32)
    cpu = F.negative_sampling(x, t, W, sampler, S, reduce='no')
    gpu = F.negative_sampling(cupy.asarray(x), cupy.asarray(t), cupy.asarray(W),
                              lambda shape: cupy.asarray(samples), S, reduce='no')
    testing.assert_allclose(gpu.array, cpu.array, atol=1e-5, rtol=1e-5)
    w = WalkerAlias([1.0, 2.0, 3.0]).to_gpu()
    s = w.sample((5000,))
    assert isinstance(s, cupy.ndarray) and int(s.max()) < 3
