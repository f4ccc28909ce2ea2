import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-3, rtol=5e-2)
    return dict(atol=1e-4, rtol=1e-3)


def _x(shape, dtype, contiguous=True, seed=0):
    rng = numpy.random.RandomState(seed)
    if contiguous:
        return rng.uniform(-1, 1, shape).astype(dtype)
    big = rng.uniform(-1, 1, shape[:-1] + (shape[-1] * 2,)).astype(dtype)
    x = big[..., ::2]
    assert not x.flags.c_contiguous
    return x


AXES = [None, 0, 1, -1, (0, 2), (2, 0), (-1, -3)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', AXES)
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('contiguous', [True, False])
def test_sum_forward_backward(dtype, axis, keepdims, contiguous):
    x = _x((2, 3, 4), dtype, contiguous)
    y = F.sum(x, axis=axis, keepdims=keepdims)
    expect = numpy.sum(x.astype(numpy.float64), axis=axis, keepdims=keepdims)
    assert y.dtype == dtype
    assert y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _x(expect.shape, dtype, seed=1)
    gradient_check.check_backward(lambda x: F.sum(x, axis, keepdims), x, gy,
                                  dtype=numpy.float64, **_tol(dtype))
    ggx = _x(x.shape, dtype, seed=2)
    gradient_check.check_double_backward(lambda x: F.sum(x, axis, keepdims), x, gy,
                                         ggx, dtype=numpy.float64, **_tol(dtype))


def test_sum_grad_is_writable_and_matches_variable_backward():
    x = kusari.Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    y = F.sum(x * 2.0, axis=0)
    y.grad = numpy.array([1., 2., 3.], numpy.float32)
    y.backward()
    g1 = x.grad.copy()
    numpy.testing.assert_array_equal(g1, [[2, 4, 6], [2, 4, 6]])
    x.cleargrad()
    y = F.sum(x * 2.0, axis=0)
    y.grad = numpy.array([1., 2., 3.], numpy.float32)
    y.backward(enable_double_backprop=True)
    numpy.testing.assert_array_equal(x.grad, g1)
    # a gradient that reaches a leaf directly must be a writable array
    x.cleargrad()
    F.sum(x).backward()
    x.grad *= 2
    numpy.testing.assert_array_equal(x.grad, numpy.full((2, 3), 2, numpy.float32))


def test_sum_0dim():
    x = numpy.array(3.0, numpy.float32)
    assert F.sum(x).array == 3.0
    gradient_check.check_backward(F.sum, x, numpy.array(2.0, numpy.float32))


def test_sum_bad_dtype():
    with pytest.raises(InvalidType, match='Sum'):
        F.sum(numpy.arange(3, dtype=numpy.int32))


def test_sum_bad_axis():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='Sum'):
        F.sum(x, axis=2)
    with pytest.raises(InvalidType, match='Sum'):
        F.sum(x, axis=-3)
    with pytest.raises(ValueError, match='duplicate'):
        F.sum(x, axis=(0, 0))
    with pytest.raises(TypeError, match='Sum'):
        F.sum(x, axis=1.5)


def test_sum_to():
    x = _x((2, 3), numpy.float32)
    y = F.sum_to(x, (1, 3))
    numpy.testing.assert_allclose(y.array, x.sum(axis=0, keepdims=True), rtol=1e-6)
    gradient_check.check_backward(lambda x: F.sum_to(x, (3,)), x,
                                  _x((3,), numpy.float32, seed=3), dtype=numpy.float64)
    with pytest.raises(InvalidType, match='SumTo'):
        F.sum_to(x, (4,))


# ---- mean / average -----------------------------------------------------------------


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [None, 1, (0, 2), -1])
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('contiguous', [True, False])
def test_mean(dtype, axis, keepdims, contiguous):
    x = _x((2, 3, 4), dtype, contiguous)
    for f in (F.mean, F.average):
        y = f(x, axis=axis, keepdims=keepdims)
        expect = numpy.mean(x.astype(numpy.float64), axis=axis, keepdims=keepdims)
        assert y.dtype == dtype and y.shape == expect.shape
        numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _x(expect.shape, dtype, seed=1)
    gradient_check.check_backward(lambda x: F.mean(x, axis, keepdims=keepdims), x, gy,
                                  dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(lambda x: F.mean(x, axis, keepdims=keepdims),
                                         x, gy, _x(x.shape, dtype, seed=2),
                                         dtype=numpy.float64, **_tol(dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [None, 0, 2, -2])
@pytest.mark.parametrize('keepdims', [False, True])
def test_average_weighted(dtype, axis, keepdims):
    x = _x((2, 3, 4), dtype)
    rng = numpy.random.RandomState(5)
    if axis is None:
        w = rng.uniform(0.5, 1.5, x.shape).astype(dtype)
    else:
        w = rng.uniform(0.5, 1.5, (x.shape[axis],)).astype(dtype)
    y = F.average(x, axis=axis, weights=w, keepdims=keepdims)
    expect = numpy.average(x.astype(numpy.float64), axis=axis,
                           weights=w.astype(numpy.float64))
    if keepdims:
        expect = numpy.asarray(expect).reshape(
            numpy.sum(x, axis=axis, keepdims=True).shape)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    assert y.dtype == dtype
    gy = _x(y.shape, dtype, seed=1)
    gradient_check.check_backward(
        lambda x, w: F.average(x, axis=axis, weights=w, keepdims=keepdims), (x, w), gy,
        dtype=numpy.float64, **_tol(dtype))


def test_mean_bad_input():
    with pytest.raises(InvalidType, match='Mean'):
        F.mean(numpy.arange(3, dtype=numpy.int32))
    with pytest.raises(InvalidType, match='Mean'):
        F.mean(numpy.zeros((2, 3), numpy.float32), axis=3)
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='average'):
        F.average(x, axis=1, weights=numpy.ones(2, numpy.float32))
    with pytest.raises(ValueError, match='tuple axis'):
        F.average(x, axis=(0, 1), weights=numpy.ones((2, 3), numpy.float32))


@pytest.mark.gpu
@pytest.mark.parametrize('axis', [None, 1])
def test_sum_mean_gpu(axis):
    import cupy
    x = _x((2, 3, 4), numpy.float32)
    for f in (F.sum, F.mean):
        xg = kusari.Variable(cupy.asarray(x))
        y = f(xg, axis=axis)
        numpy.testing.assert_allclose(cupy.asnumpy(y.array), f(x, axis=axis).array,
                                      rtol=1e-5)
        gradient_check.check_backward(lambda x: f(x, axis), cupy.asarray(x),
                                      cupy.asarray(_x(y.shape, numpy.float32, seed=1)),
                                      dtype=numpy.float64)
