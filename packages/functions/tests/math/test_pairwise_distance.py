"""Tests of kusari.functions.pairwise_distance."""
import numpy
import pytest

from kusari import gradient_check
from kusari import testing
from kusari.functions import pairwise_distance
from kusari.utils import type_check

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
TOL = {numpy.float16: dict(atol=1e-2, rtol=1e-2),
       numpy.float32: dict(atol=1e-5, rtol=1e-5),
       numpy.float64: dict(atol=1e-12, rtol=1e-12)}
PS = [1.0, 2.0, 3.0, 0.5, float('inf')]


def ref(a, b, p=2.0, eps=1e-6, keepdims=False):
    d = numpy.abs(a.astype(numpy.float64) - b.astype(numpy.float64) + eps)
    if numpy.isinf(p):
        return d.max(-1, keepdims=keepdims)
    return (d ** p).sum(-1, keepdims=keepdims) ** (1 / p)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('p', PS)
@pytest.mark.parametrize('s1,s2', [((4, 5), (4, 5)), ((2, 3, 4), (3, 4)), ((5,), (5,))])
@pytest.mark.parametrize('keepdims', [False, True])
def test_forward(dtype, p, s1, s2, keepdims):
    rng = numpy.random.RandomState(0)
    a = rng.randn(*s1).astype(dtype)
    b = rng.randn(*s2).astype(dtype)
    y = pairwise_distance(a, b, p=p, keepdims=keepdims)
    want = ref(a, b, p, keepdims=keepdims)
    assert y.dtype == dtype and y.shape == want.shape
    testing.assert_allclose(y.array, want, **TOL[dtype])


def test_eps_and_scipy():
    from scipy.spatial.distance import minkowski
    a = numpy.array([[0.0, 0.0], [1.0, 2.0]])
    b = numpy.array([[3.0, 4.0], [1.0, 2.0]])
    testing.assert_allclose(pairwise_distance(a, b, eps=0.0).array, [5.0, 0.0])
    testing.assert_allclose(pairwise_distance(a, b).array[1], numpy.sqrt(2) * 1e-6)
    for p in (1, 2, 3):
        testing.assert_allclose(pairwise_distance(a, b, p=p, eps=0.0).array[0],
                                minkowski(a[0], b[0], p))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('p', PS)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(dtype, p, contiguous):
    rng = numpy.random.RandomState(1)
    a = rng.randn(3, 4).astype(dtype)
    b = rng.randn(3, 4).astype(dtype)
    if not contiguous:
        a = numpy.asfortranarray(a)
        b = numpy.asfortranarray(b)
    gy = rng.randn(3).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else dict(atol=1e-4,
                                                                        rtol=1e-4)
    if p < 1 and dtype != numpy.float16:
        tol = dict(atol=2e-3, rtol=2e-3)    # |d|^(p - 2) makes the curvature large
    f = lambda a, b: pairwise_distance(a, b, p=p)  # noqa: E731
    gradient_check.check_backward(f, (a, b), gy, dtype=numpy.float64, **tol)
    if not numpy.isinf(p):
        ggs = (rng.randn(3, 4).astype(dtype), rng.randn(3, 4).astype(dtype))
        gradient_check.check_double_backward(f, (a, b), gy, ggs, dtype=numpy.float64,
                                             **tol)


def test_invalid():
    a = numpy.zeros((2, 3), numpy.float32)
    for args in [(a.astype(numpy.int32), a), (a, a.astype(numpy.float64)),
                 (a, numpy.zeros((2, 4), numpy.float32)),
                 (numpy.zeros((), numpy.float32), numpy.zeros((), numpy.float32))]:
        with pytest.raises(type_check.InvalidType) as e:
            pairwise_distance(*args)
        assert 'pairwise_distance' in str(e.value)
    with pytest.raises(ValueError, match='pairwise_distance'):
        pairwise_distance(a, a, p=0)


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    a = rng.randn(4, 5)
    b = rng.randn(4, 5)
    testing.assert_allclose(pairwise_distance(cupy.asarray(a), cupy.asarray(b)).array,
                            ref(a, b))
    gradient_check.check_backward(pairwise_distance, (cupy.asarray(a), cupy.asarray(b)),
                                  cupy.asarray(rng.randn(4)), atol=1e-4, rtol=1e-4)
