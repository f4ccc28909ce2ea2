"""Tests of the elementwise functions of kusari.functions.math.hyperbolic."""
import numpy
import pytest

import kusari
from kusari import gradient_check
from kusari import testing
from kusari.utils import type_check

DTYPES = (numpy.float16, numpy.float32, numpy.float64)
TOL = {numpy.float16: dict(atol=5e-3, rtol=5e-3),
       numpy.float32: dict(atol=1e-5, rtol=1e-5),
       numpy.float64: dict(atol=1e-12, rtol=1e-12)}
GRAD_TOL = {numpy.float16: dict(atol=5e-2, rtol=5e-2),
            numpy.float32: dict(atol=1e-3, rtol=1e-3),
            numpy.float64: dict(atol=1e-4, rtol=1e-4)}


def noncontiguous(x):
    fill = numpy.nan if x.dtype.kind == 'f' else 0
    big = numpy.full(x.shape[:-1] + (2 * x.shape[-1],), fill, x.dtype)
    big[..., ::2] = x
    out = big[..., ::2]
    assert not out.flags.c_contiguous
    return out


def check_forward(f, xs, expected, dtype):
    y = f(*xs)
    assert isinstance(y, kusari.Variable)
    assert y.dtype == dtype and y.shape == expected.shape
    testing.assert_allclose(y.array, expected.astype(dtype), **TOL[dtype])


def check_grads(f, xs, gy, dtype, double=True):
    """check_backward, check_double_backward, and backward == backward_array."""
    tol = GRAD_TOL[dtype]
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **tol)
    if double:
        ggxs = tuple(numpy.random.uniform(-1, 1, x.shape).astype(x.dtype) for x in xs)
        gradient_check.check_double_backward(f, xs, gy, ggxs, dtype=numpy.float64,
                                             **tol)
    results = []
    for double_bp in (False, True):
        vs = [kusari.Variable(x.copy()) for x in xs]
        gxs = kusari.grad([f(*vs)], vs, grad_outputs=[gy.copy()],
                          enable_double_backprop=double_bp)
        results.append([g.array for g in gxs])
    for a, b in zip(*results):
        assert a.dtype == dtype
        testing.assert_allclose(a, b, **TOL[dtype])


def check_invalid(f, args, name):
    with pytest.raises(type_check.InvalidType) as e:
        f(*args)
    assert name in str(e.value)


from kusari.functions.math import hyperbolic as M  # noqa: E402

# name: (numpy reference, low, high)
CASES = {
    'sinh': (numpy.sinh, -2, 2),
    'cosh': (numpy.cosh, -2, 2),
    'arctanh': (numpy.arctanh, -0.8, 0.8),
}


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 4), ()])
def test_forward(name, dtype, shape):
    ref, lo, hi = CASES[name]
    x = numpy.random.uniform(lo, hi, shape).astype(dtype)
    check_forward(getattr(M, name), (x,), ref(x.astype(numpy.float64)), dtype)


@pytest.mark.parametrize('name', sorted(CASES))
def test_forward_noncontiguous(name):
    ref, lo, hi = CASES[name]
    x = noncontiguous(numpy.random.uniform(lo, hi, (3, 4)).astype(numpy.float32))
    check_forward(getattr(M, name), (x,), ref(x.astype(numpy.float64)), numpy.float32)


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(name, dtype, contiguous):
    ref, lo, hi = CASES[name]
    x = numpy.random.uniform(lo, hi, (2, 3)).astype(dtype)
    gy = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    if not contiguous:
        x, gy = noncontiguous(x), noncontiguous(gy)
    check_grads(getattr(M, name), (x,), gy, dtype)


@pytest.mark.parametrize('name', sorted(CASES))
def test_invalid_dtype(name):
    check_invalid(getattr(M, name), (numpy.zeros((2, 3), numpy.int32),), name)


def test_all_exported():
    assert sorted(M.__all__) == sorted(set(M.__all__))
    for n in M.__all__:
        assert callable(getattr(M, n)) and getattr(M, n).__doc__
