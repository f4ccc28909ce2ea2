"""Tests of kusari.functions.math.basic_elementwise."""
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


from kusari.functions.math import basic_elementwise as M  # noqa: E402

UNARY = {
    'sqrt': (numpy.sqrt, 0.5, 3),
    'rsqrt': (lambda x: 1 / numpy.sqrt(x), 0.5, 3),
    'square': (numpy.square, -2, 2),
    'absolute': (numpy.abs, 0.2, 2),
}


def _input(name, shape, dtype):
    ref, lo, hi = UNARY[name]
    x = numpy.random.uniform(lo, hi, shape)
    if name == 'absolute':   # both signs, away from the kink at 0
        x = x * numpy.random.choice([-1, 1], shape)
    return numpy.asarray(x).astype(dtype)


@pytest.mark.parametrize('name', sorted(UNARY))
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 4), ()])
def test_unary_forward(name, dtype, shape):
    x = _input(name, shape, dtype)
    check_forward(getattr(M, name), (x,), UNARY[name][0](x.astype(numpy.float64)), dtype)


@pytest.mark.parametrize('name', sorted(UNARY))
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_unary_backward(name, dtype, contiguous):
    x = _input(name, (2, 3), dtype)
    gy = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    if not contiguous:
        x, gy = noncontiguous(x), noncontiguous(gy)
    check_grads(getattr(M, name), (x,), gy, dtype)


@pytest.mark.parametrize('name', sorted(UNARY))
def test_unary_invalid(name):
    check_invalid(getattr(M, name), (numpy.zeros((2, 3), numpy.int32),), name)


BINARY = {
    'squared_difference': lambda a, b: (a - b) ** 2,
    'fmod': numpy.fmod,
}


def _binary_inputs(name, dtype, shape=(2, 3)):
    a = numpy.random.uniform(-3, 3, shape)
    b = numpy.random.uniform(-1, 1, shape)
    if name == 'fmod':
        b = numpy.where(abs(b) < 0.3, 0.7, b) * 1.3
        # keep a / b away from the jumps at integers
        q = a / b
        a = numpy.where(abs(q - numpy.round(q)) < 0.1, a + 0.3 * b, a)
    return a.astype(dtype), b.astype(dtype)


@pytest.mark.parametrize('name', sorted(BINARY))
@pytest.mark.parametrize('dtype', DTYPES)
def test_binary_forward(name, dtype):
    a, b = _binary_inputs(name, dtype)
    check_forward(getattr(M, name), (a, b),
                  BINARY[name](a.astype(numpy.float64), b.astype(numpy.float64)), dtype)


@pytest.mark.parametrize('name', sorted(BINARY))
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_binary_backward(name, dtype, contiguous):
    a, b = _binary_inputs(name, dtype)
    gy = numpy.random.uniform(-1, 1, a.shape).astype(dtype)
    if not contiguous:
        a, b, gy = noncontiguous(a), noncontiguous(b), noncontiguous(gy)
    check_grads(getattr(M, name), (a, b), gy, dtype)


@pytest.mark.parametrize('name', sorted(BINARY))
def test_binary_invalid(name):
    a = numpy.zeros((2, 3), numpy.float32)
    check_invalid(getattr(M, name), (a, a.astype(numpy.float64)), name)
    check_invalid(getattr(M, name), (a, a[:1]), name)
    check_invalid(getattr(M, name), (a.astype(numpy.int32), a.astype(numpy.int32)), name)


@pytest.mark.parametrize('dtype', DTYPES)
def test_add_many_with_broadcast(dtype):
    a = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    b = numpy.random.uniform(-1, 1, (3,)).astype(dtype)
    c = numpy.random.uniform(-1, 1, (2, 1)).astype(dtype)
    check_forward(M.add, (a, b, c), a.astype(numpy.float64) + b + c, dtype)
    gy = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    check_grads(M.add, (a, b, c), gy, dtype)


def test_add_two_and_scalar():
    a = numpy.array([1., 2.], numpy.float32)
    numpy.testing.assert_array_equal(M.add(a, a).array, [2., 4.])
    numpy.testing.assert_array_equal(M.add(kusari.Variable(a), 1.0).array, [2., 3.])
    y = M.add(a)
    numpy.testing.assert_array_equal(y.array, a)


def test_add_invalid():
    a = numpy.zeros((2, 3), numpy.float32)
    check_invalid(M.add, (a, a, a.astype(numpy.float64)), 'MultiAdd')
    check_invalid(M.add, (a, a, numpy.zeros((4,), numpy.float32)), 'MultiAdd')


def test_identity():
    a = numpy.array([1., 2.], numpy.float32)
    x = kusari.Variable(a)
    y = M.identity(x)
    assert y is not x and y.array is a and y.creator is not None
    y2, z2 = M.identity(x, x * 2)
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [1., 1.])
    check_grads(M.identity, (a,), numpy.array([0.5, -1.], numpy.float32), numpy.float32)


def test_all_exported():
    for n in M.__all__:
        assert callable(getattr(M, n)) and getattr(M, n).__doc__
