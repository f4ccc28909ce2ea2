"""erf, erfc, erfinv, erfcinv, erfcx, lgamma, digamma, polygamma, zeta, ndtr, ndtri,
log_ndtr (against SciPy)."""
import sys

import numpy
import pytest
from scipy import special

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-3, rtol=5e-2)
    if dtype == numpy.float32:
        return dict(atol=1e-4, rtol=1e-3)
    return dict(atol=1e-5, rtol=1e-4)


# name -> (scipy reference, domain low, domain high)
UNARY = {
    'erf': (special.erf, -2, 2),
    'erfc': (special.erfc, -2, 2),
    'erfinv': (special.erfinv, -0.9, 0.9),
    'erfcinv': (special.erfcinv, 0.1, 1.9),
    'erfcx': (special.erfcx, -1, 2),
    'lgamma': (special.gammaln, 0.5, 4),
    'digamma': (special.digamma, 0.5, 4),
    'ndtr': (special.ndtr, -2, 2),
    'ndtri': (special.ndtri, 0.1, 0.9),
    'log_ndtr': (special.log_ndtr, -3, 2),
}


def _u(shape, dtype, seed, lo=-1, hi=1):
    return numpy.random.RandomState(seed).uniform(lo, hi, shape).astype(dtype)


@pytest.mark.parametrize('name', sorted(UNARY))
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_unary_special(name, dtype, contiguous):
    ref, lo, hi = UNARY[name]
    f = getattr(F, name)
    x = _u((2, 3), dtype, 0, lo, hi)
    if not contiguous:
        x = numpy.asfortranarray(x)
    y = f(x)
    assert y.dtype == dtype and y.shape == x.shape
    numpy.testing.assert_allclose(y.array.astype(numpy.float64),
                                  ref(x.astype(numpy.float64)), **_tol(dtype))
    gy = _u(x.shape, dtype, 1)
    tol = _tol(dtype) if dtype == numpy.float16 else dict(atol=1e-3, rtol=1e-3)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, eps=1e-3, **tol)
    gradient_check.check_double_backward(f, x, gy, _u(x.shape, dtype, 2),
                                         dtype=numpy.float64, eps=1e-3, **tol)


@pytest.mark.parametrize('dtype', DTYPES)
def test_polygamma(dtype):
    n = numpy.array([[0, 1, 2], [3, 1, 0]], numpy.int32)
    x = _u((2, 3), dtype, 0, 1, 3)
    y = F.polygamma(n, x)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array.astype(numpy.float64),
                                  special.polygamma(n, x.astype(numpy.float64)),
                                  **_tol(dtype))
    gy = _u(x.shape, dtype, 1)
    tol = _tol(dtype) if dtype == numpy.float16 else dict(atol=1e-3, rtol=1e-3)
    gradient_check.check_backward(F.polygamma, (n, x), gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(F.polygamma, (n, x), gy,
                                         (_u(x.shape, dtype, 2),),
                                         dtype=numpy.float64, **tol)


@pytest.mark.parametrize('dtype', DTYPES)
def test_zeta(dtype):
    x = numpy.array([[2., 3., 4.], [2.5, 3.5, 5.]], dtype)
    q = _u((2, 3), dtype, 0, 1, 3)
    y = F.zeta(x, q)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array.astype(numpy.float64),
                                  special.zeta(x.astype(numpy.float64),
                                               q.astype(numpy.float64)), **_tol(dtype))
    gy = _u(q.shape, dtype, 1)
    tol = _tol(dtype) if dtype == numpy.float16 else dict(atol=1e-3, rtol=1e-3)
    f = lambda q: F.zeta(x, q)  # noqa: E731
    gradient_check.check_backward(f, q, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, q, gy, _u(q.shape, dtype, 2),
                                         dtype=numpy.float64, **tol)


def test_log_ndtr_stable_for_very_negative():
    x = kusari.Variable(numpy.array(-30., numpy.float64))
    y = F.log_ndtr(x)
    numpy.testing.assert_allclose(y.array, special.log_ndtr(-30.))
    y.backward()
    # d/dx log ndtr(x) ~ -x for x -> -inf
    assert numpy.isfinite(x.grad).all() and abs(x.grad - 30.) < 0.1


def test_special_bad_input():
    xi = numpy.arange(3, dtype=numpy.int32)
    for name, label in (('erf', 'Erf'), ('lgamma', 'LGamma'), ('ndtri', 'Ndtri')):
        with pytest.raises(InvalidType, match=label):
            getattr(F, name)(xi)
    with pytest.raises(InvalidType, match='PolyGamma'):
        F.polygamma(numpy.ones(3, numpy.float32), numpy.ones(3, numpy.float32))
    with pytest.raises(InvalidType, match='PolyGamma'):
        F.polygamma(numpy.ones(4, numpy.int32), numpy.ones(3, numpy.float32))
    with pytest.raises(InvalidType, match='Zeta'):
        F.zeta(numpy.ones(3), numpy.ones(3, numpy.int32))


def test_missing_scipy_message(monkeypatch):
    from kusari.functions.math import _util
    monkeypatch.setattr(_util, '_scipy_special', None)
    monkeypatch.setitem(sys.modules, 'scipy', None)
    monkeypatch.setitem(sys.modules, 'scipy.special', None)
    with pytest.raises(ImportError, match=r"pip install 'kusari-functions\[special\]'"):
        F.erf(numpy.zeros(2, numpy.float32))


@pytest.mark.gpu
@pytest.mark.parametrize('name', sorted(UNARY))
def test_unary_special_gpu(name):
    import cupy
    ref, lo, hi = UNARY[name]
    x = _u((2, 3), numpy.float32, 0, lo, hi)
    y = getattr(F, name)(cupy.asarray(x))
    numpy.testing.assert_allclose(cupy.asnumpy(y.array), ref(x), rtol=1e-4, atol=1e-5)
    gradient_check.check_backward(getattr(F, name), cupy.asarray(x),
                                  cupy.asarray(_u(x.shape, numpy.float32, 1)),
                                  dtype=numpy.float64, atol=1e-3, rtol=1e-3)


def test_polygamma_double_backward_zero_dim():
    pytest.importorskip('scipy')
    x = numpy.array(2.5)
    n = numpy.array(1, numpy.int32)
    gradient_check.check_double_backward(lambda x: F.polygamma(n, x), x,
                                         numpy.array(1.), numpy.array(0.7))
