import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _bil(dtype, seed=0, extra=False):
    rng = numpy.random.RandomState(seed)
    e1 = rng.uniform(-1, 1, (3, 2, 2) if extra else (3, 4)).astype(dtype)
    e2 = rng.uniform(-1, 1, (3, 3)).astype(dtype)
    W = rng.uniform(-1, 1, (4, 3, 2)).astype(dtype)
    V1 = rng.uniform(-1, 1, (4, 2)).astype(dtype)
    V2 = rng.uniform(-1, 1, (3, 2)).astype(dtype)
    b = rng.uniform(-1, 1, 2).astype(dtype)
    return e1, e2, W, V1, V2, b


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
@pytest.mark.parametrize('full', [False, True])
def test_bilinear_forward(dtype, full):
    e1, e2, W, V1, V2, b = _bil(dtype, extra=True)
    args = (e1, e2, W, V1, V2, b) if full else (e1, e2, W)
    y = F.bilinear(*args)
    f1 = e1.reshape(3, 4).astype(numpy.float64)
    ref = numpy.einsum('ij,ik,jkl->il', f1, e2.astype(numpy.float64), W.astype(numpy.float64))
    if full:
        ref += f1 @ V1 + e2 @ V2 + b
    tol = 5e-2 if dtype == numpy.float16 else 1e-5
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array, ref, atol=tol, rtol=tol)


@pytest.mark.parametrize('full', [False, True])
def test_bilinear_backward(full):
    e1, e2, W, V1, V2, b = _bil(numpy.float64)
    args = (e1, e2, W, V1, V2, b) if full else (e1, e2, W)
    rng = numpy.random.RandomState(1)
    gy = rng.uniform(-1, 1, (3, 2))
    gradient_check.check_backward(F.bilinear, args, gy, atol=1e-7)
    gradient_check.check_double_backward(F.bilinear, args, gy,
                                         tuple(rng.uniform(-1, 1, a.shape) for a in args),
                                         atol=1e-6)


def test_bilinear_float16_backward():
    args = _bil(numpy.float16)
    gy = numpy.random.RandomState(1).uniform(-1, 1, (3, 2)).astype(numpy.float16)
    gradient_check.check_backward(F.bilinear, args, gy, dtype=numpy.float64,
                                  eps=2 ** -3, atol=5e-2, rtol=5e-2)


def test_bilinear_invalid():
    e1, e2, W, V1, V2, b = _bil(numpy.float32)
    with pytest.raises(ValueError, match='bilinear'):
        F.bilinear(e1, e2, W, V1)
    with pytest.raises(InvalidType, match='BilinearFunction'):
        F.bilinear(e1, e2[:, :2], W)
    with pytest.raises(InvalidType, match='BilinearFunction'):
        F.bilinear(e1, e2, W, V1, V2, b[:1])


def ref_shift(x, kh, kw, dy, dx):
    n, c, h, w = x.shape
    groups = kh * kw
    gs = c // groups
    y = numpy.zeros_like(x)
    for ch in range(c):
        i = min(ch // gs, groups - 1)
        g = {(groups - 1) // 2: groups - 1, groups - 1: (groups - 1) // 2}.get(i, i)
        ky, kx = g // kw - kh // 2, g % kw - kw // 2
        for r in range(h):
            for q in range(w):
                rr, qq = r - ky * dy, q - kx * dx
                if 0 <= rr < h and 0 <= qq < w:
                    y[:, ch, r, q] = x[:, ch, rr, qq]
    return y


@pytest.mark.parametrize('ksize,dilate,c', [(3, 1, 9), (3, 2, 11), ((1, 3), (1, 2), 4),
                                            ((3, 5), 1, 16)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_shift_forward(ksize, dilate, c, dtype):
    x = numpy.random.RandomState(0).uniform(-1, 1, (2, c, 4, 5)).astype(dtype)
    y = F.shift(x, ksize, dilate)
    kh, kw = (ksize, ksize) if isinstance(ksize, int) else ksize
    dy, dx = (dilate, dilate) if isinstance(dilate, int) else dilate
    numpy.testing.assert_array_equal(y.array, ref_shift(x, kh, kw, dy, dx))
    y2 = F.shift(numpy.asfortranarray(x), ksize, dilate)
    numpy.testing.assert_array_equal(y2.array, y.array)


def test_shift_backward():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 10, 4, 4))
    gy = rng.uniform(-1, 1, x.shape)
    gradient_check.check_backward(lambda x: F.shift(x, 3, 2), x, gy, atol=1e-8)
    gradient_check.check_double_backward(lambda x: F.shift(x, 3, 2), x, gy,
                                         rng.uniform(-1, 1, x.shape), atol=1e-8)


def test_shift_invalid():
    with pytest.raises(InvalidType, match='ShiftFunction'):
        F.shift(numpy.zeros((1, 4, 3, 3), numpy.float32))
    with pytest.raises(InvalidType, match='ShiftFunction'):
        F.shift(numpy.zeros((9, 3, 3), numpy.float32))
    with pytest.raises(ValueError, match='shift'):
        F.shift(numpy.zeros((1, 9, 3, 3), numpy.float32), ksize=2)
