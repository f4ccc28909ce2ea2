import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari import testing
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
N, D, V, S = 3, 4, 6, 2


def _data(dtype, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-1, 1, (N, D)).astype(dtype)
    W = rng.uniform(-1, 1, (V, D)).astype(dtype)
    t = rng.randint(0, V, N).astype(numpy.int32)
    samples = rng.randint(0, V, (N, S)).astype(numpy.int32)
    return x, t, W, samples


def _ref(x, t, W, samples):
    x, W = x.astype(numpy.float64), W.astype(numpy.float64)
    out = []
    for b in range(len(x)):
        sc = numpy.concatenate([[W[t[b]] @ x[b]], W[samples[b]] @ x[b]])
        lz = numpy.log(numpy.exp(sc).sum())
        out.append(-(sc[0] - lz) - numpy.log(1 - numpy.exp(sc[1:] - lz)).sum())
    return numpy.array(out)


def _tol(dtype):
    return dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else \
        dict(atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_forward(dtype, reduce):
    x, t, W, s = _data(dtype)
    y = F.black_out(x, t, W, s, reduce=reduce)
    ref = _ref(x, t, W, s)
    expected = ref.mean() if reduce == 'mean' else ref
    assert y.dtype == dtype and y.shape == numpy.shape(expected)
    testing.assert_allclose(y.array.astype(numpy.float64), expected, **_tol(dtype))


def test_forward_noncontiguous_and_variables():
    x, t, W, s = _data(numpy.float64)
    xn = numpy.asfortranarray(x)
    Wn = numpy.repeat(W, 2, axis=1)[:, ::2]
    assert not Wn.flags.c_contiguous
    y = F.black_out(kusari.Variable(xn), kusari.Variable(t), Wn, kusari.Variable(s),
                    reduce='no')
    testing.assert_allclose(y.array, _ref(x, t, W, s))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'no'])
def test_backward(dtype, reduce):
    x, t, W, s = _data(dtype)
    gy = None if reduce == 'mean' else \
        numpy.random.RandomState(1).uniform(-1, 1, N).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else \
        dict(atol=1e-4, rtol=1e-4)
    gradient_check.check_backward(lambda x, W: F.black_out(x, t, W, s, reduce=reduce),
                                  (x, W), gy, dtype=numpy.float64, **tol)


def test_double_backward():
    x, t, W, s = _data(numpy.float64)
    rng = numpy.random.RandomState(2)
    gradient_check.check_double_backward(
        lambda x, W: F.black_out(x, t, W, s, reduce='no'), (x, W),
        rng.uniform(-1, 1, N), (rng.uniform(-1, 1, x.shape), rng.uniform(-1, 1, W.shape)),
        atol=1e-4, rtol=1e-4)


def test_invalid():
    x, t, W, s = _data(numpy.float32)
    cases = [
        ((x.astype(numpy.int32), t, W, s), 'x.dtype'),
        ((x[0], t, W, s), 'x.ndim'),
        ((x, t, W[:, :2], s), 'W.shape'),
        ((x, t, W.astype(numpy.float64), s), 'x.dtype == W.dtype'),
        ((x, t[:2], W, s), 't.ndim'),
        ((x, t, W, s.astype(numpy.float32)), 'samples.dtype'),
        ((x, t, W, s[:, 0]), 'samples.ndim'),
    ]
    for args, match in cases:
        with pytest.raises(InvalidType) as e:
            F.black_out(*args)
        assert 'black_out' in str(e.value) and match in str(e.value)
    with pytest.raises(ValueError, match='black_out'):
        F.black_out(x, t, W, s + V)
    with pytest.raises(ValueError, match="'reduce'"):
        F.black_out(x, t, W, s, reduce='sum')


@pytest.mark.gpu
def test_gpu_matches_cpu():
    import cupy
    x, t, W, s = _data(numpy.float32)
    cpu = F.black_out(x, t, W, s, reduce='no')
    gpu = F.black_out(*[cupy.asarray(a) for a in (x, t, W, s)], reduce='no')
    testing.assert_allclose(gpu.array, cpu.array, atol=1e-5, rtol=1e-5)
