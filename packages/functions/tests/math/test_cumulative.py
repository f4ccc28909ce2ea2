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


def _u(shape, dtype, seed=0, lo=-1, hi=1, contiguous=True):
    x = numpy.random.RandomState(seed).uniform(lo, hi, shape).astype(dtype)
    return x if contiguous else numpy.asfortranarray(x)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@pytest.mark.parametrize('contiguous', [True, False])
def test_cumsum(dtype, axis, contiguous):
    x = _u((3, 4), dtype, contiguous=contiguous)
    y = F.cumsum(x, axis=axis)
    expect = numpy.cumsum(x.astype(numpy.float64), axis=axis)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _u(expect.shape, dtype, 1)
    gradient_check.check_backward(lambda x: F.cumsum(x, axis), x, gy,
                                  dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(lambda x: F.cumsum(x, axis), x, gy,
                                         _u(x.shape, dtype, 2), dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [None, 0, 1, -1])
@pytest.mark.parametrize('contiguous', [True, False])
def test_cumprod(dtype, axis, contiguous):
    x = _u((3, 4), dtype, 0, 0.5, 1.5, contiguous)
    y = F.cumprod(x, axis=axis)
    expect = numpy.cumprod(x.astype(numpy.float64), axis=axis)
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _u(expect.shape, dtype, 1)
    gradient_check.check_backward(lambda x: F.cumprod(x, axis), x, gy,
                                  dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(lambda x: F.cumprod(x, axis), x, gy,
                                         _u(x.shape, dtype, 2), dtype=numpy.float64,
                                         **_tol(dtype))


def test_cumprod_with_zeros_exact_gradient():
    x = numpy.array([2., 0., 3., 0., 5.])
    gy = numpy.array([1., 2., 3., 4., 5.])
    v = kusari.Variable(x)
    y = F.cumprod(v)
    y.grad = gy
    y.backward()
    # brute force: d y_k / d x_i = prod_{j<=k, j!=i} x_j for k >= i
    expect = numpy.zeros(5)
    for i in range(5):
        for k in range(i, 5):
            expect[i] += gy[k] * numpy.prod(numpy.delete(x[:k + 1], i))
    numpy.testing.assert_allclose(v.grad, expect, rtol=1e-12)
    gradient_check.check_backward(F.cumprod, x, gy)
    gradient_check.check_double_backward(F.cumprod, x, gy, _u((5,), numpy.float64, 3))


def test_cumulative_bad_input():
    xi = numpy.arange(3, dtype=numpy.int32)
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='Cumsum'):
        F.cumsum(xi)
    with pytest.raises(InvalidType, match='Cumprod'):
        F.cumprod(xi)
    with pytest.raises(InvalidType, match='Cumsum'):
        F.cumsum(x, axis=2)
    with pytest.raises(InvalidType, match='Cumprod'):
        F.cumprod(x, axis=-3)
    with pytest.raises(TypeError, match='Cumsum'):
        F.cumsum(x, axis=(0,))


@pytest.mark.gpu
def test_cumulative_gpu():
    import cupy
    x = _u((3, 4), numpy.float32, 0, 0.5, 1.5)
    for f in (lambda x: F.cumsum(x, 1), lambda x: F.cumprod(x, 0)):
        xg = cupy.asarray(x)
        numpy.testing.assert_allclose(cupy.asnumpy(f(xg).array), f(x).array, rtol=1e-5)
        gradient_check.check_backward(f, xg, cupy.asarray(_u(x.shape, numpy.float32, 1)),
                                      dtype=numpy.float64, atol=1e-3, rtol=1e-2)


@pytest.mark.parametrize('axis', [-2, None, 1])
def test_cumprod_of_an_empty_array_has_a_gradient(axis):
    # Chainer gives an (empty) gradient, so that double backprop works too
    x = numpy.zeros((0, 3))
    v = kusari.Variable(x)
    y = F.cumprod(v, axis=axis)
    gx, = kusari.grad([y], [v], [numpy.zeros(y.shape)], enable_double_backprop=True)
    assert gx is not None and gx.shape == x.shape
    gradient_check.check_double_backward(lambda x: F.cumprod(x, axis=axis), x,
                                         numpy.zeros(y.shape), numpy.zeros(x.shape))
