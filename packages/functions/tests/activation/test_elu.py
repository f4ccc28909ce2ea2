"""Tests of kusari.functions.elu."""
import numpy
import pytest

import kusari
from kusari.functions import elu

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def f(x):
    return elu(x, alpha=1.3)


def ref(x):
    x = x.astype(numpy.float64)
    return numpy.where(x > 0, x, 1.3 * numpy.expm1(x))


def make_input(H, shape, dtype):
    x = numpy.random.uniform(-2, 2, shape)
    return H.away_from(x, (0,)).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 4), (), (2, 3, 5)])
def test_forward(H, dtype, shape):
    x = make_input(H, shape, dtype)
    H.check_forward(f, (x,), ref(x), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
def test_forward_noncontiguous(H, dtype):
    x = H.noncontiguous(make_input(H, (3, 4), dtype))
    H.check_forward(f, (x,), ref(x), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, dtype, contiguous):
    x = make_input(H, (3, 4), dtype)
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(f, (x,), gy, dtype)


def test_backward_through_graph(H):
    x = kusari.Variable(make_input(H, (4,), numpy.float32))
    y = f(x)
    assert y.creator is not None
    y.grad = numpy.ones_like(y.array)
    y.backward()
    assert x.grad is not None and x.grad.shape == (4,)


def test_invalid_dtype(H):
    H.check_invalid(f, (numpy.zeros((2, 3), numpy.int32),), 'ELU')
