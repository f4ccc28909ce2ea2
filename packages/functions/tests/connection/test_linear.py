import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _data(dtype, xshape=(3, 4), out=2, seed=0):
    rng = numpy.random.RandomState(seed)
    x = rng.uniform(-1, 1, xshape).astype(dtype)
    W = rng.uniform(-1, 1, (out, int(numpy.prod(xshape[1:])))).astype(dtype)
    b = rng.uniform(-1, 1, out).astype(dtype)
    return x, W, b


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('nobias', [False, True])
def test_forward(dtype, nobias):
    x, W, b = _data(dtype)
    y = F.linear(x, W, None if nobias else b)
    ref = x.astype(numpy.float64) @ W.astype(numpy.float64).T
    if not nobias:
        ref += b
    assert y.dtype == dtype and y.shape == (3, 2)
    tol = 1e-2 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(y.array, ref, atol=tol, rtol=tol)


def test_forward_noncontiguous_and_flatten():
    x, W, b = _data(numpy.float32, (3, 2, 3))
    xn = numpy.asfortranarray(x)
    y = F.linear(xn, numpy.asfortranarray(W), b)
    numpy.testing.assert_allclose(y.array, x.reshape(3, 6) @ W.T + b, rtol=1e-5)


def test_n_batch_axes():
    x, W, b = _data(numpy.float64, (2, 3, 4))
    W = W[:, :4]
    y = F.linear(x, W, b, n_batch_axes=2)
    assert y.shape == (2, 3, 2)
    numpy.testing.assert_allclose(y.array, numpy.einsum('abi,oi->abo', x, W) + b)
    gy = numpy.random.RandomState(1).uniform(-1, 1, y.shape)
    gradient_check.check_backward(lambda *a: F.linear(*a, n_batch_axes=2), (x, W, b), gy,
                                  atol=1e-7)
    with pytest.raises(ValueError, match='n_batch_axes'):
        F.linear(x, W, b, n_batch_axes=0)


@pytest.mark.parametrize('dtype', [numpy.float32, numpy.float64])
@pytest.mark.parametrize('nobias', [False, True])
def test_backward(dtype, nobias):
    x, W, b = _data(numpy.float64, (3, 2, 2))
    gy = numpy.random.RandomState(1).uniform(-1, 1, (3, 2))
    args = (x, W) if nobias else (x, W, b)
    gradient_check.check_backward(F.linear, tuple(a.astype(dtype) for a in args),
                                  gy.astype(dtype), dtype=numpy.float64, atol=1e-4, rtol=1e-3)


def test_backward_float16():
    x, W, b = _data(numpy.float16)
    gy = numpy.random.RandomState(1).uniform(-1, 1, (3, 2)).astype(numpy.float16)
    gradient_check.check_backward(F.linear, (x, W, b), gy, dtype=numpy.float64,
                                  eps=2 ** -3, atol=5e-2, rtol=5e-2)


def test_double_backward():
    x, W, b = _data(numpy.float64)
    rng = numpy.random.RandomState(2)
    gy = rng.uniform(-1, 1, (3, 2))
    gg = tuple(rng.uniform(-1, 1, a.shape) for a in (x, W, b))
    gradient_check.check_double_backward(F.linear, (x, W, b), gy, gg, atol=1e-6, rtol=1e-5)


def test_backward_array_matches_backward():
    x, W, b = _data(numpy.float64)
    gy = numpy.random.RandomState(1).uniform(-1, 1, (3, 2))
    res = []
    for double in (False, True):
        vs = [kusari.Variable(a) for a in (x, W, b)]
        y = F.linear(*vs)
        y.grad = gy
        y.backward(enable_double_backprop=double)
        res.append([v.grad for v in vs])
    for a, c in zip(*res):
        numpy.testing.assert_allclose(a, c, atol=1e-12)


def test_mixed_dtype():
    x, W, b = _data(numpy.float32)
    y = F.linear(x, W.astype(numpy.float64), b)
    assert y.dtype == numpy.float32
    vx, vW = kusari.Variable(x), kusari.Variable(W.astype(numpy.float64))
    y = F.linear(vx, vW)
    y.grad = numpy.ones(y.shape, numpy.float32)
    y.backward()
    assert vx.grad.dtype == numpy.float32 and vW.grad.dtype == numpy.float64


def test_invalid():
    x, W, b = _data(numpy.float32)
    with pytest.raises(InvalidType, match='LinearFunction'):
        F.linear(x, W[:, :3])
    with pytest.raises(InvalidType, match='LinearFunction'):
        F.linear(x.astype(numpy.int32), W)
    with pytest.raises(InvalidType, match='LinearFunction'):
        F.linear(x, W, b[:1])
    with pytest.raises(InvalidType, match='LinearFunction'):
        F.linear(x, W, b.astype(numpy.float64))
    with pytest.raises(InvalidType, match='LinearFunction'):
        F.linear(x[0], W)
    with pytest.raises(TypeError):
        F.linear([1.0], W)


@pytest.mark.gpu
def test_gpu():
    import cupy
    x, W, b = _data(numpy.float32)
    y = F.linear(cupy.asarray(x), cupy.asarray(W), cupy.asarray(b))
    numpy.testing.assert_allclose(y.array.get(), x @ W.T + b, rtol=1e-5)
