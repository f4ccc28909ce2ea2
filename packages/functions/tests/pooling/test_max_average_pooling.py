import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _outsize(size, k, s, p, cover_all):
    if cover_all:
        return (size + 2 * p - k + s - 1) // s + 1
    return (size + 2 * p - k) // s + 1


def _windows(x, ks, st, pd, cover_all):
    """Yield (output index, list of in-bounds input indices) per window."""
    dims = x.shape[2:]
    outs = tuple(_outsize(dims[i], ks[i], st[i], pd[i], cover_all) for i in range(len(dims)))
    for o in itertools.product(*[range(v) for v in outs]):
        pos = []
        for k in itertools.product(*[range(v) for v in ks]):
            a = tuple(o[i] * st[i] - pd[i] + k[i] for i in range(len(dims)))
            if all(0 <= a[i] < dims[i] for i in range(len(dims))):
                pos.append(a)
        yield o, pos, outs


def ref_max(x, ks, st, pd, cover_all):
    y = None
    for o, pos, outs in _windows(x, ks, st, pd, cover_all):
        if y is None:
            y = numpy.full(x.shape[:2] + outs, -numpy.inf)
        vals = numpy.stack([x[(slice(None), slice(None)) + a] for a in pos], axis=-1)
        y[(slice(None), slice(None)) + o] = vals.max(axis=-1)
    return y


def ref_avg(x, ks, st, pd, pad_value):
    y = None
    for o, pos, outs in _windows(x, ks, st, pd, False):
        if y is None:
            y = numpy.zeros(x.shape[:2] + outs)
        s = sum(x[(slice(None), slice(None)) + a].astype(numpy.float64) for a in pos)
        y[(slice(None), slice(None)) + o] = s / (numpy.prod(ks) if pad_value == 0 else len(pos))
    return y


MAX_CASES = [
    # dims, ksize, stride, pad, cover_all
    ((7,), (3,), (2,), (1,), True),
    ((6,), (2,), None, (0,), False),
    ((5, 6), (2, 2), None, (0, 0), True),
    ((5, 5), (3, 2), (2, 1), (1, 1), False),
    ((6, 4), (3, 3), (2, 2), (1, 1), True),
    ((4, 3, 5), (2, 2, 3), (2, 1, 2), (0, 1, 1), True),
    ((3, 4, 4), (2, 2, 2), None, (1, 0, 0), False),
]


def _distinct(shape, dtype, seed=0):
    # distinct values keep the argmax unique (the max is not differentiable at ties)
    rng = numpy.random.RandomState(seed)
    x = rng.permutation(numpy.prod(shape)).reshape(shape).astype(numpy.float64)
    return (x / x.size * 2 - 1).astype(dtype)


def _max(x, case, return_indices=False):
    dims, ks, st, pd, ca = case
    if len(dims) == 2:
        return F.max_pooling_2d(x, ks, st, pd, ca, return_indices)
    if len(dims) == 1:
        return F.max_pooling_1d(x, ks, st, pd, ca, return_indices)
    return F.max_pooling_nd(x, ks, st, pd, ca, return_indices)


@pytest.mark.parametrize('case', MAX_CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_max_forward(case, dtype):
    dims, ks, st, pd, ca = case
    x = _distinct((2, 3) + dims, dtype)
    y = _max(x, case)
    assert y.dtype == dtype
    ref = ref_max(x, ks, st if st is not None else ks, pd, ca)
    numpy.testing.assert_array_equal(y.array, ref.astype(dtype))
    y2 = _max(numpy.asfortranarray(x), case)
    numpy.testing.assert_array_equal(y2.array, y.array)


@pytest.mark.parametrize('case', MAX_CASES)
def test_max_indices(case):
    dims, ks, st, pd, ca = case
    st = ks if st is None else st
    x = _distinct((2, 3) + dims, numpy.float32)
    y, idx = _max(x, case, True)
    assert idx.shape == y.shape and idx.dtype == numpy.int32
    # the offset points at the max inside the window
    for o in numpy.ndindex(*y.shape):
        k = numpy.unravel_index(idx[o], ks)
        a = tuple(o[2 + i] * st[i] - pd[i] + k[i] for i in range(len(ks)))
        assert x[o[:2] + a] == y.array[o]


@pytest.mark.parametrize('case', MAX_CASES)
def test_max_backward(case):
    dims, ks, st, pd, ca = case
    x = _distinct((2, 2) + dims, numpy.float64)
    gy = numpy.random.RandomState(1).uniform(-1, 1, _max(x, case).shape)
    gradient_check.check_backward(lambda x: _max(x, case), x, gy, eps=1e-4, atol=1e-6)
    gradient_check.check_double_backward(lambda x: _max(x, case), x, gy,
                                         numpy.random.RandomState(2).uniform(-1, 1, x.shape),
                                         eps=1e-4, atol=1e-6)


def test_max_backward_float16():
    case = MAX_CASES[4]
    x = _distinct((2, 2) + case[0], numpy.float16)
    gy = numpy.random.RandomState(1).uniform(-1, 1, _max(x, case).shape).astype(numpy.float16)
    gradient_check.check_backward(lambda x: _max(x, case), x, gy, dtype=numpy.float64,
                                  eps=2 ** -8, atol=1e-2, rtol=1e-2)


def test_max_pooling_3d_and_invalid():
    x = _distinct((1, 2, 4, 4, 4), numpy.float32)
    numpy.testing.assert_array_equal(F.max_pooling_3d(x, 2).array,
                                     ref_max(x, (2, 2, 2), (2, 2, 2), (0, 0, 0), True))
    with pytest.raises(InvalidType, match='MaxPooling2D'):
        F.max_pooling_2d(x, 2)
    with pytest.raises(InvalidType, match='MaxPooling2D'):
        F.max_pooling_2d(x[0, 0].astype(numpy.int32)[None], 2)
    with pytest.raises(ValueError, match='max_pooling_3d'):
        F.max_pooling_3d(x[0], 2)
    with pytest.raises(InvalidType, match='MaxPooling2D'):
        F.max_pooling_2d(x[:, :, 0], 5, cover_all=False)
    with pytest.raises(ValueError, match='MaxPooling2D'):
        F.max_pooling_2d(x[:, :, 0], 0)


AVG_CASES = [
    ((7,), (3,), (2,), (1,)),
    ((5, 6), (2, 2), None, (0, 0)),
    ((5, 5), (3, 2), (2, 1), (1, 1)),
    ((4, 3, 5), (2, 2, 3), (2, 1, 2), (0, 1, 1)),
]


def _avg(x, case, pad_value=0):
    dims, ks, st, pd = case
    if len(dims) == 2 and pad_value == 0:
        return F.average_pooling_2d(x, ks, st, pd)
    if len(dims) == 1:
        return F.average_pooling_1d(x, ks, st, pd, pad_value)
    return F.average_pooling_nd(x, ks, st, pd, pad_value)


@pytest.mark.parametrize('case', AVG_CASES)
@pytest.mark.parametrize('pad_value', [0, None])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_avg_forward(case, pad_value, dtype):
    dims, ks, st, pd = case
    x = numpy.random.RandomState(0).uniform(-1, 1, (2, 3) + dims).astype(dtype)
    y = _avg(x, case, pad_value)
    assert y.dtype == dtype
    ref = ref_avg(x, ks, ks if st is None else st, pd, pad_value)
    tol = 2e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, atol=tol, rtol=tol)
    y2 = _avg(x.transpose(0, 1, *range(x.ndim - 1, 1, -1)).copy().transpose(
        0, 1, *range(x.ndim - 1, 1, -1)), case, pad_value)
    numpy.testing.assert_allclose(y2.array, y.array)


@pytest.mark.parametrize('case', AVG_CASES)
@pytest.mark.parametrize('pad_value', [0, None])
def test_avg_backward(case, pad_value):
    dims = case[0]
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (2, 2) + dims)
    gy = rng.uniform(-1, 1, _avg(x, case, pad_value).shape)
    f = lambda x: _avg(x, case, pad_value)  # noqa: E731
    gradient_check.check_backward(f, x, gy, atol=1e-8)
    gradient_check.check_double_backward(f, x, gy, rng.uniform(-1, 1, x.shape), atol=1e-8)


def test_avg_float16_backward_and_3d():
    rng = numpy.random.RandomState(0)
    x = rng.uniform(-1, 1, (1, 2, 4, 4, 4)).astype(numpy.float16)
    y = F.average_pooling_3d(x, 2)
    numpy.testing.assert_allclose(y.array, ref_avg(x, (2,) * 3, (2,) * 3, (0,) * 3, 0),
                                  atol=2e-3)
    gy = rng.uniform(-1, 1, y.shape).astype(numpy.float16)
    gradient_check.check_backward(lambda x: F.average_pooling_3d(x, 2), x, gy,
                                  dtype=numpy.float64, atol=1e-2, rtol=1e-2)


def test_avg_invalid():
    x = numpy.zeros((1, 1, 4, 4), numpy.float32)
    with pytest.raises(InvalidType, match='AveragePooling2D'):
        F.average_pooling_2d(x[0], 2)
    with pytest.raises(InvalidType, match='AveragePooling2D'):
        F.average_pooling_2d(x.astype(numpy.int8), 2)
    with pytest.raises(ValueError, match='pad_value'):
        F.average_pooling_nd(x, 2, pad_value=1)
    with pytest.raises(ValueError, match='average_pooling_1d'):
        F.average_pooling_1d(x, 2)


def test_backward_array_matches_backward():
    x = _distinct((2, 2, 5, 5), numpy.float64)
    gy = numpy.random.RandomState(1).uniform(-1, 1, (2, 2, 3, 3))
    for f in (lambda v: F.max_pooling_2d(v, 3, 2, 1),
              lambda v: F.average_pooling_2d(v, 3, 2, 1)):
        res = []
        for double in (False, True):
            v = kusari.Variable(x)
            y = f(v)
            y.grad = gy
            y.backward(enable_double_backprop=double)
            res.append(v.grad)
        numpy.testing.assert_allclose(res[0], res[1], atol=1e-14)


@pytest.mark.gpu
def test_gpu():
    import cupy
    for case in MAX_CASES:
        dims, ks, st, pd, ca = case
        x = _distinct((2, 3) + dims, numpy.float32)
        y = _max(cupy.asarray(x), case)
        numpy.testing.assert_array_equal(y.array.get(), ref_max(x, ks, st or ks, pd, ca))
        gy = cupy.random.uniform(-1, 1, y.shape)
        gradient_check.check_backward(lambda x: _max(x, case), cupy.asarray(x, 'd'), gy,
                                      eps=1e-4, atol=1e-6)
    for case in AVG_CASES:
        dims, ks, st, pd = case
        x = numpy.random.uniform(-1, 1, (2, 3) + dims).astype(numpy.float32)
        for pv in (0, None):
            y = _avg(cupy.asarray(x), case, pv)
            numpy.testing.assert_allclose(y.array.get(), ref_avg(x, ks, st or ks, pd, pv),
                                          atol=1e-5)
