"""det, batch_det, inv, batch_inv, cholesky."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-2, rtol=5e-2)
    if dtype == numpy.float32:
        return dict(atol=1e-3, rtol=1e-3)
    return dict(atol=1e-6, rtol=1e-5)


def _well_conditioned(shape, dtype, seed=0, contiguous=True):
    rng = numpy.random.RandomState(seed)
    n = shape[-1]
    a = rng.uniform(-0.5, 0.5, shape) + numpy.eye(n) * 2
    a = a.astype(dtype)
    if not contiguous:
        a = numpy.swapaxes(numpy.swapaxes(a, -1, -2).copy(), -1, -2)
        assert not a.flags.c_contiguous
    return a


def _u(shape, dtype, seed):
    return numpy.random.RandomState(seed).uniform(-1, 1, shape).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('batched', [False, True])
@pytest.mark.parametrize('contiguous', [True, False])
def test_det(dtype, batched, contiguous):
    shape = (2, 3, 3) if batched else (3, 3)
    f = F.batch_det if batched else F.det
    a = _well_conditioned(shape, dtype, contiguous=contiguous)
    y = f(a)
    expect = numpy.linalg.det(a.astype(numpy.float64))
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _u(y.shape, dtype, 1)
    gradient_check.check_backward(f, a, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, a, gy, _u(shape, dtype, 2),
                                         dtype=numpy.float64, **_tol(dtype))


def test_det_analytic_gradient():
    a = kusari.Variable(numpy.array([[1., 2.], [3., 4.]]))
    F.det(a).backward()
    # d det / dA = det(A) A^{-T} = [[d, -c], [-b, a]]
    numpy.testing.assert_allclose(a.grad, [[4., -3.], [-2., 1.]])


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('batched', [False, True])
@pytest.mark.parametrize('contiguous', [True, False])
def test_inv(dtype, batched, contiguous):
    shape = (2, 3, 3) if batched else (3, 3)
    f = F.batch_inv if batched else F.inv
    a = _well_conditioned(shape, dtype, contiguous=contiguous)
    y = f(a)
    expect = numpy.linalg.inv(a.astype(numpy.float64))
    assert y.dtype == dtype and y.shape == expect.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _u(shape, dtype, 1)
    gradient_check.check_backward(f, a, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, a, gy, _u(shape, dtype, 2),
                                         dtype=numpy.float64, **_tol(dtype))


def test_inv_singular():
    with pytest.raises(ValueError, match='singular'):
        F.inv(numpy.zeros((2, 2), numpy.float32))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_cholesky(dtype, contiguous):
    rng = numpy.random.RandomState(0)
    m = rng.uniform(-1, 1, (3, 3))
    a = (m @ m.T + numpy.eye(3) * 3).astype(dtype)
    if not contiguous:
        a = numpy.asfortranarray(a)
    y = F.cholesky(a)
    expect = numpy.linalg.cholesky(a.astype(numpy.float64))
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))

    def f(a):  # differentiate through a symmetric parameterization
        return F.cholesky((a + a.T) * 0.5)
    gy = numpy.tril(_u((3, 3), dtype, 1))
    gradient_check.check_backward(f, a, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, a, gy, _u((3, 3), dtype, 2),
                                         dtype=numpy.float64, **_tol(dtype))


def test_cholesky_not_positive_definite():
    with pytest.raises(ValueError, match='Cholesky'):
        F.cholesky(-numpy.eye(2, dtype=numpy.float32))


@pytest.mark.parametrize('f, label, shape', [
    (F.det, 'det', (2, 3)), (F.det, 'det', (2, 2, 2)), (F.batch_det, 'batch_det', (2, 2)),
    (F.inv, 'inv', (3, 2)), (F.batch_inv, 'batch_inv', (2, 2, 3)),
    (F.cholesky, 'cholesky', (2, 3)),
])
def test_linalg_bad_shape(f, label, shape):
    with pytest.raises(InvalidType, match=label):
        f(numpy.zeros(shape, numpy.float32))


def test_linalg_bad_dtype():
    for f in (F.det, F.inv, F.cholesky):
        with pytest.raises(InvalidType, match=f.__name__):
            f(numpy.eye(2, dtype=numpy.int32))


@pytest.mark.gpu
def test_linalg_gpu():
    import cupy
    a = _well_conditioned((2, 3, 3), numpy.float32)
    for f in (F.batch_det, F.batch_inv):
        ag = cupy.asarray(a)
        y = f(ag)
        numpy.testing.assert_allclose(cupy.asnumpy(y.array), f(a).array, rtol=1e-4,
                                      atol=1e-5)
        gradient_check.check_backward(f, ag, cupy.asarray(_u(y.shape, numpy.float32, 1)),
                                      dtype=numpy.float64, atol=1e-3, rtol=1e-3)
