"""Tests of kusari.functions.math.rounding (ceil, floor, fix, sign)."""
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


from kusari.functions.math import rounding as M  # noqa: E402

REFS = {'ceil': numpy.ceil, 'floor': numpy.floor, 'fix': numpy.fix, 'sign': numpy.sign}


@pytest.mark.parametrize('name', sorted(REFS))
@pytest.mark.parametrize('dtype', DTYPES + (numpy.int32,))
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_has_no_graph(name, dtype, contiguous):
    x = numpy.array([[-2.5, -0.5, 0., 0.4, 1.5, 3.]]).astype(dtype)
    if not contiguous:
        x = noncontiguous(x)
    xv = kusari.Variable(x)
    y = getattr(M, name)(xv)
    assert isinstance(y, kusari.Variable)
    assert y.dtype == x.dtype and y.creator is None and not y.requires_grad
    numpy.testing.assert_array_equal(y.array, REFS[name](x).astype(dtype))
    assert y.array.shape == x.shape


@pytest.mark.parametrize('name', sorted(REFS))
def test_zero_dim(name):
    y = getattr(M, name)(numpy.array(-1.5, numpy.float32))
    assert y.shape == () and isinstance(y.array, numpy.ndarray)
    assert y.array == REFS[name](numpy.float32(-1.5))


@pytest.mark.parametrize('name', sorted(REFS))
def test_invalid(name):
    check_invalid(getattr(M, name), (numpy.zeros(3, bool),), name)
    with pytest.raises(TypeError, match=name):
        getattr(M, name)([1.0, 2.0])
