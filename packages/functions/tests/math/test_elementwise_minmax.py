"""Tests of kusari.functions.math.minmax_elementwise (maximum, minimum, clip)."""
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


from kusari.functions.math import minmax_elementwise as M  # noqa: E402
import kusari.functions as F  # noqa: E402


def _pair(dtype, shape=(3, 4)):
    a = numpy.random.uniform(-1, 1, shape)
    b = numpy.random.uniform(-1, 1, shape)
    b = numpy.where(abs(a - b) < 0.1, a + 0.3, b)   # no ties
    return a.astype(dtype), b.astype(dtype)


@pytest.mark.parametrize('name,ref', [('maximum', numpy.maximum),
                                      ('minimum', numpy.minimum)])
@pytest.mark.parametrize('dtype', DTYPES)
def test_forward(name, ref, dtype):
    a, b = _pair(dtype)
    check_forward(getattr(M, name), (a, b), ref(a, b).astype(numpy.float64), dtype)


@pytest.mark.parametrize('name', ['maximum', 'minimum'])
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(name, dtype, contiguous):
    a, b = _pair(dtype, (2, 3))
    gy = numpy.random.uniform(-1, 1, a.shape).astype(dtype)
    if not contiguous:
        a, b, gy = noncontiguous(a), noncontiguous(b), noncontiguous(gy)
    check_grads(getattr(M, name), (a, b), gy, dtype)


@pytest.mark.parametrize('name', ['maximum', 'minimum'])
def test_ties_go_to_x1(name):
    a = kusari.Variable(numpy.array([1., 2.], numpy.float32))
    b = kusari.Variable(numpy.array([1., 2.], numpy.float32))
    y = getattr(M, name)(a, b)
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(a.grad, [1., 1.])
    numpy.testing.assert_array_equal(b.grad, [0., 0.])


@pytest.mark.parametrize('name', ['maximum', 'minimum'])
def test_invalid(name):
    a = numpy.zeros((2, 3), numpy.float32)
    check_invalid(getattr(M, name), (a, a.astype(numpy.float64)), name)
    check_invalid(getattr(M, name), (a, a[:, :2]), name)   # not broadcastable
    check_invalid(getattr(M, name), (a, a.T), name)
    check_invalid(getattr(M, name), (a.astype(numpy.int32), a.astype(numpy.int32)), name)


def _clip_input(dtype, shape=(3, 4)):
    x = numpy.random.uniform(-2, 2, shape)
    for p in (-0.5, 0.7):
        x = numpy.where(abs(x - p) < 0.05, p + 0.2, x)
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_clip(dtype, contiguous):
    x = _clip_input(dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    if not contiguous:
        x, gy = noncontiguous(x), noncontiguous(gy)
    f = lambda x: M.clip(x, -0.5, 0.7)   # noqa: E731
    check_forward(f, (x,), numpy.clip(x.astype(numpy.float64), -0.5, 0.7), dtype)
    check_grads(f, (x,), gy, dtype)


def test_clip_invalid():
    check_invalid(lambda x: M.clip(x, 0., 1.), (numpy.zeros(3, numpy.int32),), 'Clip')
    with pytest.raises(ValueError, match='clip'):
        M.clip(numpy.zeros(3, numpy.float32), 1.0, 0.0)
    with pytest.raises(ValueError, match='clip'):
        M.clip(numpy.zeros(3, numpy.float32), None, None)
    with pytest.raises(TypeError, match='clip'):
        M.clip(numpy.zeros(3, numpy.float32), '0', 1.0)


@pytest.mark.parametrize('lo, hi', [(None, 0.7), (-0.5, None), (None, numpy.float32(1.53)),
                                    (numpy.float32(-0.75), None)])
@pytest.mark.parametrize('dtype', DTYPES)
def test_clip_one_sided(lo, hi, dtype):
    x = _clip_input(dtype)
    x = numpy.where(abs(x - numpy.float32(1.53)) < 0.05, 1.8, x)
    x = numpy.where(abs(x + numpy.float32(0.75)) < 0.05, -1.0, x).astype(dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    f = lambda x: M.clip(x, lo, hi)   # noqa: E731
    check_forward(f, (x,), numpy.clip(x.astype(numpy.float64), lo, hi), dtype)
    check_grads(f, (x,), gy, dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_clip_gradient_passes_at_the_bounds(dtype):
    # Chainer: the gradient is 1 on [x_min, x_max], bounds included
    x = kusari.Variable(numpy.arange(6, dtype=dtype))
    F.sum(M.clip(x, 1.0, 4.0)).backward()
    numpy.testing.assert_array_equal(x.grad, [0, 1, 1, 1, 1, 0])


@pytest.mark.parametrize('name', ['maximum', 'minimum'])
@pytest.mark.parametrize('s1, s2', [((3, 2), (3, 1)), ((2,), (3, 2)), ((), (4,)),
                                    ((1, 4), (3, 1))])
@pytest.mark.parametrize('dtype', DTYPES)
def test_maximum_minimum_broadcast(name, s1, s2, dtype):
    rng = numpy.random.RandomState(0)
    a = rng.uniform(-1, 1, s1).astype(dtype)
    b = rng.uniform(-1, 1, s2).astype(dtype)
    f = getattr(M, name)
    ref = getattr(numpy, name)(a.astype(numpy.float64), b.astype(numpy.float64))
    y = f(a, b)
    assert y.shape == ref.shape and y.dtype == dtype
    check_forward(f, (a, b), ref, dtype)
    gy = rng.uniform(-1, 1, ref.shape).astype(dtype)
    check_grads(f, (a, b), gy, dtype)
