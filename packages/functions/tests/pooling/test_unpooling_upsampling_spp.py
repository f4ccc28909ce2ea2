import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _deconv_out(size, k, s, p, cover_all):
    if cover_all:
        return s * (size - 1) + k - s + 1 - 2 * p
    return s * (size - 1) + k - 2 * p


def ref_unpool(x, ks, st, pd, outs):
    nd = x.ndim - 2
    big = tuple(outs[i] + 2 * pd[i] + st[i] + ks[i] for i in range(nd))
    y = numpy.zeros(x.shape[:2] + big)
    for i in itertools.product(*[range(v) for v in x.shape[2:]]):
        for k in itertools.product(*[range(v) for v in ks]):
            pos = tuple(i[j] * st[j] + k[j] for j in range(nd))
            y[(slice(None), slice(None)) + pos] += x[(slice(None), slice(None)) + i]
    return y[(slice(None), slice(None)) + tuple(slice(pd[j], pd[j] + outs[j])
                                                for j in range(nd))]


UNPOOL_CASES = [
    # dims, ksize, stride, pad, outsize, cover_all
    ((3,), (2,), None, (0,), None, True),
    ((3, 2), (2, 2), None, (0, 0), None, False),
    ((3, 3), (3, 2), (2, 1), (1, 0), None, True),
    ((2, 3), (2, 2), (2, 2), (0, 0), (3, 5), True),
    ((2, 2, 3), (2, 2, 2), (2, 1, 2), (0, 0, 1), None, False),
]


def _unpool(x, case):
    dims, ks, st, pd, outsize, ca = case
    if len(dims) == 2:
        return F.unpooling_2d(x, ks, st, pd, outsize, ca)
    if len(dims) == 1:
        return F.unpooling_1d(x, ks, st, pd, outsize, ca)
    return F.unpooling_nd(x, ks, st, pd, outsize, ca)


@pytest.mark.parametrize('case', UNPOOL_CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_unpooling_forward(case, dtype):
    dims, ks, st, pd, outsize, ca = case
    st = ks if st is None else st
    x = numpy.random.RandomState(0).uniform(-1, 1, (2, 3) + dims).astype(dtype)
    y = _unpool(x, case)
    outs = outsize or tuple(_deconv_out(dims[i], ks[i], st[i], pd[i], ca)
                            for i in range(len(dims)))
    assert y.shape == (2, 3) + outs and y.dtype == dtype
    tol = 5e-3 if dtype == numpy.float16 else 1e-7
    numpy.testing.assert_allclose(y.array, ref_unpool(x, ks, st, pd, outs), atol=tol)
    numpy.testing.assert_allclose(_unpool(numpy.asfortranarray(x), case).array, y.array)


@pytest.mark.parametrize('case', UNPOOL_CASES)
def test_unpooling_backward(case):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 2) + case[0])
    gy = rng.uniform(-1, 1, _unpool(x, case).shape)
    f = lambda x: _unpool(x, case)  # noqa: E731
    gradient_check.check_backward(f, x, gy, atol=1e-8)
    gradient_check.check_double_backward(f, x, gy, rng.uniform(-1, 1, x.shape), atol=1e-8)
    x16 = x.astype(numpy.float16)
    gradient_check.check_backward(f, x16, gy.astype(numpy.float16), dtype=numpy.float64,
                                  atol=1e-2, rtol=1e-2)


def test_unpooling_invalid():
    x = numpy.zeros((1, 1, 2, 2), numpy.float32)
    with pytest.raises(InvalidType, match='Unpooling2D'):
        F.unpooling_2d(x, 2, outsize=(9, 9))
    with pytest.raises(InvalidType, match='Unpooling2D'):
        F.unpooling_2d(x[0], 2)
    with pytest.raises(ValueError, match='unpooling_3d'):
        F.unpooling_3d(x, 2)


def test_upsampling_inverts_max_pooling():
    rng = numpy.random.RandomState(0)
    x = rng.permutation(2 * 3 * 5 * 6).reshape(2, 3, 5, 6).astype(numpy.float32)
    for ks, st, pd, ca in [(2, None, 0, True), ((3, 2), (2, 1), (1, 0), True),
                           (2, 2, 1, False)]:
        y, idx = F.max_pooling_2d(x, ks, st, pd, ca, return_indices=True)
        up = F.upsampling_2d(y, idx, ks, st, pd, outsize=x.shape[2:], cover_all=ca)
        assert up.shape == x.shape
        # reference: every max value placed at its argmax position (summed on overlaps)
        ref = numpy.zeros(x.shape, numpy.float32)
        kh, kw = (ks, ks) if isinstance(ks, int) else ks
        sy, sx = (kh, kw) if st is None else ((st, st) if isinstance(st, int) else st)
        ph, pw = (pd, pd) if isinstance(pd, int) else pd
        for o in numpy.ndindex(*y.shape):
            ky, kx = divmod(int(idx[o]), kw)
            iy, ix = o[2] * sy - ph + ky, o[3] * sx - pw + kx
            ref[o[0], o[1], iy, ix] += y.array[o]
        numpy.testing.assert_array_equal(up.array, ref)


@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_upsampling_backward(dtype):
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 2, 3, 3)).astype(dtype)
    idx = rng.randint(0, 4, x.shape).astype(numpy.int32)
    f = lambda x: F.upsampling_2d(x, idx, 2, cover_all=False)  # noqa: E731
    y = f(x)
    assert y.shape == (2, 2, 6, 6) and y.dtype == dtype
    gy = rng.uniform(-1, 1, y.shape).astype(dtype)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, atol=1e-3, rtol=1e-3)
    gradient_check.check_double_backward(f, x, gy, rng.uniform(-1, 1, x.shape).astype(dtype),
                                         dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_upsampling_invalid():
    x = numpy.zeros((1, 1, 2, 2), numpy.float32)
    with pytest.raises(ValueError, match='Upsampling2D'):
        F.upsampling_2d(x, numpy.full(x.shape, 4, numpy.int32), 2)
    with pytest.raises(InvalidType, match='Upsampling2D'):
        F.upsampling_2d(x, numpy.zeros((1, 1, 2, 3), numpy.int32), 2)
    with pytest.raises(InvalidType, match='Upsampling2D'):
        F.upsampling_2d(x, numpy.zeros(x.shape, numpy.float32), 2)


def test_spatial_pyramid_pooling_2d():
    rng = numpy.random.RandomState(0)
    x = rng.permutation(2 * 3 * 6 * 7).reshape(2, 3, 6, 7).astype(numpy.float64)
    y = F.spatial_pyramid_pooling_2d(x, 3, 'max')
    assert y.shape == (2, 3 * (1 + 4 + 16), 1, 1)
    parts = []
    for level in range(3):
        bins = 2 ** level
        kh, kw = -(-6 // bins), -(-7 // bins)
        p = F.max_pooling_2d(x, (kh, kw), None, ((kh * bins - 6) // 2, (kw * bins - 7) // 2))
        parts.append(p.array.reshape(2, -1))
    numpy.testing.assert_array_equal(y.array[:, :, 0, 0], numpy.concatenate(parts, axis=1))
    numpy.testing.assert_array_equal(y.array[:, :3, 0, 0], x.max(axis=(2, 3)))
    gy = rng.uniform(-1, 1, y.shape)
    f = lambda x: F.spatial_pyramid_pooling_2d(x, 3, 'max')  # noqa: E731
    gradient_check.check_backward(f, x / x.size, gy, eps=1e-5, atol=1e-7)
    gradient_check.check_double_backward(f, x / x.size, gy, rng.uniform(-1, 1, x.shape),
                                         eps=1e-5, atol=1e-7)
    with pytest.raises(ValueError, match='pooling'):
        F.spatial_pyramid_pooling_2d(x, 2)
    with pytest.raises(InvalidType, match='spatial_pyramid_pooling_2d'):
        F.spatial_pyramid_pooling_2d(x[0], 2, 'max')


@pytest.mark.gpu
def test_gpu():
    import cupy
    for case in UNPOOL_CASES:
        dims, ks, st, pd, outsize, ca = case
        x = numpy.random.uniform(-1, 1, (2, 3) + dims).astype(numpy.float32)
        y = _unpool(cupy.asarray(x), case)
        numpy.testing.assert_allclose(y.array.get(), ref_unpool(x, ks, st or ks, pd,
                                                                y.shape[2:]), atol=1e-5)
    x = numpy.random.uniform(-1, 1, (2, 2, 4, 4)).astype(numpy.float32)
    y, idx = F.max_pooling_2d(cupy.asarray(x), 2, return_indices=True)
    up = F.upsampling_2d(y, idx, 2, outsize=(4, 4))
    assert up.shape == x.shape


@pytest.mark.parametrize('f', [lambda x: F.unpooling_nd(x, 1, 1, 1, cover_all=True),
                               lambda x: F.unpooling_2d(x, 1, 1, 1, cover_all=True)])
def test_unpooling_to_an_empty_output(f):
    # Chainer allows an output size of 0 (here (3 - 1) + 1 - 2 = 1 and 0)
    x = numpy.random.RandomState(0).uniform(-1, 1, (2, 3, 3, 2)).astype(numpy.float32)
    y = f(x)
    assert y.shape == (2, 3, 1, 0)
    v = kusari.Variable(x)
    out = f(v)
    out.grad = numpy.zeros(out.shape, numpy.float32)
    out.backward()
    numpy.testing.assert_array_equal(v.grad, numpy.zeros_like(x))
