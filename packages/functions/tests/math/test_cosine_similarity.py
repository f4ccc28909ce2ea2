"""Tests of kusari.functions.cosine_similarity."""
import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing
from kusari.functions import cosine_similarity
from kusari.utils import type_check

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-3),
       numpy.float32: dict(atol=1e-5, rtol=1e-5),
       numpy.float64: dict(atol=1e-12, rtol=1e-12)}


def ref(a, b, axis=1, eps=1e-8):
    a = a.astype(numpy.float64)
    b = b.astype(numpy.float64)
    a, b = numpy.broadcast_arrays(a, b)
    na = numpy.maximum(numpy.sqrt((a * a).sum(axis)), eps)
    nb = numpy.maximum(numpy.sqrt((b * b).sum(axis)), eps)
    return (a * b).sum(axis) / (na * nb)


CASES = [((4, 5), (4, 5), 1), ((3, 4, 2), (3, 4, 2), 1), ((3, 4, 2), (3, 4, 2), -1),
         ((4, 5), (1, 5), 1), ((2, 3, 4), (3, 4), 0)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('s1,s2,axis', CASES)
def test_forward(dtype, s1, s2, axis):
    rng = numpy.random.RandomState(0)
    a = rng.randn(*s1).astype(dtype)
    b = rng.randn(*s2).astype(dtype)
    y = cosine_similarity(a, b, axis=axis)
    want = ref(a, b, axis)
    assert y.dtype == dtype and y.shape == want.shape
    testing.assert_allclose(y.array, want, **TOL[dtype])
    assert (abs(y.array) <= 1 + 1e-3).all()


def test_zero_vector_and_eps():
    a = numpy.array([[0.0, 0.0], [3.0, 4.0]])
    b = numpy.array([[1.0, 2.0], [6.0, 8.0]])
    y = cosine_similarity(a, b)
    testing.assert_allclose(y.array, [0.0, 1.0])
    testing.assert_allclose(cosine_similarity(a, b, eps=10.0).array,
                            [0.0, 50.0 / (10.0 * 10.0)])
    for double_bp in (False, True):
        vs = [kusari.Variable(a.copy()), kusari.Variable(b.copy())]
        gs = kusari.grad([cosine_similarity(*vs)], vs, grad_outputs=[numpy.ones(2)],
                         enable_double_backprop=double_bp)
        assert all(numpy.isfinite(g.array).all() for g in gs)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('s1,s2,axis', CASES[:1] + CASES[3:])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(dtype, s1, s2, axis, contiguous):
    rng = numpy.random.RandomState(1)
    a = rng.randn(*s1).astype(dtype)
    b = rng.randn(*s2).astype(dtype)
    if not contiguous:
        a = numpy.asfortranarray(a)
        b = numpy.asfortranarray(b)
    out_shape = ref(a, b, axis).shape
    gy = rng.randn(*out_shape).astype(dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else dict(atol=1e-4,
                                                                        rtol=1e-4)
    f = lambda a, b: cosine_similarity(a, b, axis=axis)  # noqa: E731
    gradient_check.check_backward(f, (a, b), gy, dtype=numpy.float64, **tol)
    if dtype == numpy.float16:
        return      # the second-order terms overflow float16 (checked in 32/64 bits)
    ggs = (rng.randn(*s1).astype(dtype), rng.randn(*s2).astype(dtype))
    gradient_check.check_double_backward(f, (a, b), gy, ggs, dtype=numpy.float64, **tol)


def test_invalid():
    a = numpy.zeros((2, 3), numpy.float32)
    for args in [(a.astype(numpy.int32), a), (a, a.astype(numpy.float64)),
                 (a, numpy.zeros((2, 4), numpy.float32)),
                 (numpy.zeros((), numpy.float32), numpy.zeros((), numpy.float32))]:
        with pytest.raises(type_check.InvalidType) as e:
            cosine_similarity(*args)
        assert 'cosine_similarity' in str(e.value)
    with pytest.raises(type_check.InvalidType, match='cosine_similarity'):
        cosine_similarity(a, a, axis=2)


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    a = rng.randn(4, 5)
    b = rng.randn(4, 5)
    testing.assert_allclose(cosine_similarity(cupy.asarray(a), cupy.asarray(b)).array,
                            ref(a, b))
    gradient_check.check_backward(cosine_similarity, (cupy.asarray(a), cupy.asarray(b)),
                                  cupy.asarray(rng.randn(4)), atol=1e-4, rtol=1e-4)
