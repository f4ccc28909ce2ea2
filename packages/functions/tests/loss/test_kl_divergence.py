"""Tests of kusari.functions.kl_divergence."""
import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing
from kusari.functions import kl_divergence
from kusari.utils import type_check

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
TOL = {numpy.float16: dict(atol=1e-2, rtol=1e-2),
       numpy.float32: dict(atol=1e-5, rtol=1e-5),
       numpy.float64: dict(atol=1e-12, rtol=1e-12)}


def log_probs(shape, rng, axis=1):
    x = rng.randn(*shape)
    return x - numpy.log(numpy.exp(x).sum(axis=axis, keepdims=True))


def ref(lp, lq, reduce, axis=1):
    lp = lp.astype(numpy.float64)
    lq = lq.astype(numpy.float64)
    p = numpy.exp(lp)
    with numpy.errstate(invalid='ignore'):
        kl = numpy.where(p > 0, p * (lp - lq), 0).sum(axis=axis)
    if reduce == 'mean':
        return numpy.asarray(kl.mean())
    if reduce == 'sum':
        return numpy.asarray(kl.sum())
    return kl


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(4, 3), (2, 5, 3), (3, 1)])
@pytest.mark.parametrize('reduce', ['mean', 'sum', 'no'])
def test_forward(dtype, shape, reduce):
    rng = numpy.random.RandomState(0)
    lp = log_probs(shape, rng).astype(dtype)
    lq = log_probs(shape, rng).astype(dtype)
    y = kl_divergence(lp, lq, reduce=reduce)
    want = ref(lp, lq, reduce)
    assert y.dtype == dtype and y.shape == want.shape
    testing.assert_allclose(y.array, want, **TOL[dtype])


def test_forward_axis_and_properties():
    rng = numpy.random.RandomState(1)
    lp = log_probs((3, 4, 5), rng, axis=-1)
    lq = log_probs((3, 4, 5), rng, axis=-1)
    y = kl_divergence(lp, lq, reduce='no', axis=-1).array
    testing.assert_allclose(y, ref(lp, lq, 'no', axis=-1))
    assert (y > 0).all()                                    # Gibbs' inequality
    testing.assert_allclose(kl_divergence(lp, lp, reduce='no', axis=-1).array, 0,
                            atol=1e-12)


def test_zero_probabilities():
    with numpy.errstate(divide='ignore'):
        lp = numpy.log(numpy.array([[1.0, 0.0], [0.5, 0.5]]))
    lq = numpy.log(numpy.array([[0.5, 0.5], [0.9, 0.1]]))
    want = numpy.array([numpy.log(2), 0.5 * numpy.log(0.5 / 0.9) + 0.5 * numpy.log(5)])
    with numpy.errstate(all='raise'):
        y = kl_divergence(lp, lq, reduce='no')
    testing.assert_allclose(y.array, want)
    for double_bp in (False, True):
        vs = [kusari.Variable(lp.copy()), kusari.Variable(lq.copy())]
        g = kusari.grad([kl_divergence(*vs)], vs, enable_double_backprop=double_bp)
        assert all(numpy.isfinite(a.array).all() for a in g)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('reduce', ['mean', 'sum', 'no'])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(dtype, reduce, contiguous):
    rng = numpy.random.RandomState(2)
    lp = log_probs((3, 4), rng).astype(dtype)
    lq = log_probs((3, 4), rng).astype(dtype)
    if not contiguous:
        lp = numpy.asfortranarray(lp)
        lq = numpy.asfortranarray(lq)
    gy = None if reduce != 'no' else rng.randn(3).astype(dtype)
    if gy is None:
        gy = numpy.asarray(rng.randn(), dtype)
    tol = dict(atol=5e-2, rtol=5e-2) if dtype == numpy.float16 else dict(atol=1e-4,
                                                                        rtol=1e-4)
    f = lambda a, b: kl_divergence(a, b, reduce=reduce)  # noqa: E731
    gradient_check.check_backward(f, (lp, lq), gy, dtype=numpy.float64, **tol)
    ggs = (rng.randn(3, 4).astype(dtype), rng.randn(3, 4).astype(dtype))
    gradient_check.check_double_backward(f, (lp, lq), gy, ggs, dtype=numpy.float64,
                                         **tol)
    # the array path and the Variable path agree
    res = []
    for double_bp in (False, True):
        vs = [kusari.Variable(lp.copy()), kusari.Variable(lq.copy())]
        g = kusari.grad([f(*vs)], vs, grad_outputs=[gy], enable_double_backprop=double_bp)
        res.append([a.array for a in g])
    for a, b in zip(*res):
        assert a.dtype == dtype
        testing.assert_allclose(a, b, **TOL[dtype])


def test_invalid():
    a = numpy.zeros((2, 3), numpy.float32)
    for args in [(a.astype(numpy.int32), a), (a, a.astype(numpy.float64)),
                 (a, numpy.zeros((2, 4), numpy.float32)),
                 (numpy.zeros((), numpy.float32), numpy.zeros((), numpy.float32))]:
        with pytest.raises(type_check.InvalidType) as e:
            kl_divergence(*args)
        assert 'kl_divergence' in str(e.value)
    with pytest.raises(type_check.InvalidType, match='kl_divergence'):
        kl_divergence(a, a, axis=2)
    with pytest.raises(ValueError, match='kl_divergence'):
        kl_divergence(a, a, reduce='batchmean')


@pytest.mark.gpu
def test_gpu():
    import cupy
    rng = numpy.random.RandomState(0)
    lp = log_probs((4, 3), rng)
    lq = log_probs((4, 3), rng)
    for reduce in ('mean', 'no'):
        y = kl_divergence(cupy.asarray(lp), cupy.asarray(lq), reduce=reduce)
        testing.assert_allclose(y.array, ref(lp, lq, reduce))
        gy = None if reduce == 'mean' else cupy.asarray(rng.randn(4))
        gradient_check.check_backward(
            lambda a, b: kl_divergence(a, b, reduce=reduce),
            (cupy.asarray(lp), cupy.asarray(lq)), gy, atol=1e-4, rtol=1e-4)
