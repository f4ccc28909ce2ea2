"""max, min, argmax, argmin, prod, logsumexp."""
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


def _distinct(shape, dtype, contiguous=True, seed=0):
    """Values well apart from each other (max/min are not differentiable at ties)."""
    rng = numpy.random.RandomState(seed)
    n = int(numpy.prod(shape)) * (1 if contiguous else 2)
    v = (rng.permutation(n) - n / 2.0) * 0.25
    if contiguous:
        return v.reshape(shape).astype(dtype)
    x = v.reshape(shape[:-1] + (shape[-1] * 2,)).astype(dtype)[..., ::2]
    assert not x.flags.c_contiguous
    return x


def _u(shape, dtype, seed=1, lo=-1, hi=1):
    return numpy.random.RandomState(seed).uniform(lo, hi, shape).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [None, 0, -1, (0, 2)])
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('contiguous', [True, False])
@pytest.mark.parametrize('name', ['max', 'min'])
def test_max_min(dtype, axis, keepdims, contiguous, name):
    f = getattr(F, name)
    ref = getattr(numpy, 'a' + name)
    x = _distinct((2, 3, 4), dtype, contiguous)
    y = f(x, axis=axis, keepdims=keepdims)
    expect = ref(x, axis=axis, keepdims=keepdims)
    assert y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, expect)
    gy = _u(expect.shape, dtype)
    gradient_check.check_backward(lambda x: f(x, axis, keepdims), x, gy,
                                  dtype=numpy.float64, eps=0.01, **_tol(dtype))
    gradient_check.check_double_backward(lambda x: f(x, axis, keepdims), x, gy,
                                         _u(x.shape, dtype, 2), dtype=numpy.float64,
                                         eps=0.01, **_tol(dtype))


def test_max_ties_share_gradient():
    x = kusari.Variable(numpy.array([1., 3., 3.], numpy.float32))
    F.max(x).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 1, 1])


@pytest.mark.parametrize('name', ['argmax', 'argmin'])
@pytest.mark.parametrize('axis', [None, 0, 1, -1])
def test_argmax_argmin(name, axis):
    x = _distinct((3, 4), numpy.float32, contiguous=False)
    y = getattr(F, name)(x, axis=axis)
    assert y.dtype == numpy.int32
    numpy.testing.assert_array_equal(y.array, getattr(numpy, name)(x, axis=axis))
    v = kusari.Variable(x)
    y = getattr(F, name)(v, axis=axis)
    assert y.array.shape == numpy.shape(getattr(numpy, name)(x, axis=axis))


def test_selectors_bad_input():
    xi = numpy.arange(3, dtype=numpy.int32)
    x = numpy.zeros((2, 3), numpy.float32)
    for f, label in ((F.max, 'Max'), (F.min, 'Min'), (F.argmax, 'ArgMax'),
                     (F.argmin, 'ArgMin')):
        with pytest.raises(InvalidType, match=label):
            f(xi)
        with pytest.raises(InvalidType, match=label):
            f(x, axis=2)
    with pytest.raises(TypeError, match='ArgMax'):
        F.argmax(x, axis=(0, 1))
    with pytest.raises(InvalidType, match='Max'):
        F.max(numpy.zeros((0,), numpy.float32))


# ---- prod ---------------------------------------------------------------------------


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [None, 1, -1, (0, 2)])
@pytest.mark.parametrize('keepdims', [False, True])
@pytest.mark.parametrize('contiguous', [True, False])
def test_prod(dtype, axis, keepdims, contiguous):
    x = _u((2, 3, 4), dtype, 0, 0.5, 1.5)
    if not contiguous:
        x = numpy.asfortranarray(x)
    y = F.prod(x, axis=axis, keepdims=keepdims)
    expect = numpy.prod(x.astype(numpy.float64), axis=axis, keepdims=keepdims)
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _u(expect.shape, dtype)
    gradient_check.check_backward(lambda x: F.prod(x, axis, keepdims), x, gy,
                                  dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(lambda x: F.prod(x, axis, keepdims), x, gy,
                                         _u(x.shape, dtype, 2), dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('zeros', [[1], [0, 2], [0, 1, 2, 3]])
def test_prod_with_zeros(zeros):
    x = _u((4, 3), numpy.float64, 0, 0.5, 1.5)
    x[zeros, 1] = 0
    v = kusari.Variable(x)
    F.sum(F.prod(v, axis=0)).backward()
    expect = numpy.empty_like(x)
    for i in range(4):
        expect[i] = numpy.prod(numpy.delete(x, i, axis=0), axis=0)
    numpy.testing.assert_allclose(v.grad, expect, rtol=1e-12)
    gradient_check.check_backward(lambda x: F.prod(x, 0), x, _u((3,), numpy.float64))
    gradient_check.check_double_backward(lambda x: F.prod(x, 0), x,
                                         _u((3,), numpy.float64), _u(x.shape,
                                                                     numpy.float64, 3))


def test_prod_bad_input():
    with pytest.raises(InvalidType, match='Prod'):
        F.prod(numpy.arange(3, dtype=numpy.int32))
    with pytest.raises(InvalidType, match='Prod'):
        F.prod(numpy.zeros((2,), numpy.float32), axis=1)


# ---- logsumexp ----------------------------------------------------------------------


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [None, 0, -1, (0, 2)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_logsumexp(dtype, axis, contiguous):
    x = _u((2, 3, 4), dtype, 0, -2, 2)
    if not contiguous:
        x = numpy.asfortranarray(x)
    y = F.logsumexp(x, axis=axis)
    x64 = x.astype(numpy.float64)
    expect = numpy.log(numpy.exp(x64).sum(axis=axis))
    assert y.dtype == dtype
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), expect, **_tol(dtype))
    gy = _u(expect.shape, dtype)
    gradient_check.check_backward(lambda x: F.logsumexp(x, axis), x, gy,
                                  dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(lambda x: F.logsumexp(x, axis), x, gy,
                                         _u(x.shape, dtype, 2), dtype=numpy.float64,
                                         **_tol(dtype))


def test_logsumexp_large_values_stable():
    x = numpy.array([[1000., 1000.], [-1000., -1000.]], numpy.float32)
    y = F.logsumexp(x, axis=1).array
    numpy.testing.assert_allclose(y, [1000 + numpy.log(2), -1000 + numpy.log(2)],
                                  rtol=1e-6)


def test_logsumexp_bad_input():
    with pytest.raises(InvalidType, match='LogSumExp'):
        F.logsumexp(numpy.arange(3, dtype=numpy.int32))
    with pytest.raises(InvalidType, match='LogSumExp'):
        F.logsumexp(numpy.zeros((2,), numpy.float32), axis=1)


@pytest.mark.gpu
def test_reductions_gpu():
    import cupy
    x = _distinct((2, 3, 4), numpy.float32)
    for f in (lambda x: F.max(x, 1), lambda x: F.prod(x, 2),
              lambda x: F.logsumexp(x, (0, 2))):
        y_cpu = f(x).array
        xg = cupy.asarray(x)
        numpy.testing.assert_allclose(cupy.asnumpy(f(xg).array), y_cpu, rtol=1e-5)
        gradient_check.check_backward(f, xg, cupy.asarray(_u(y_cpu.shape,
                                                             numpy.float32)),
                                      dtype=numpy.float64, eps=0.01, atol=1e-3,
                                      rtol=1e-2)
    assert F.argmax(cupy.asarray(x), axis=1).array.dtype == numpy.int32
