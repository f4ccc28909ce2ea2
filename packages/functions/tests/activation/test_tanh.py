"""Tests of kusari.functions.tanh."""
import numpy
import pytest

import kusari
from kusari.functions import tanh

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def f(x):
    return tanh(x)


def ref(x):
    x = x.astype(numpy.float64)
    return numpy.tanh(x)


def make_input(H, shape, dtype):
    x = numpy.random.uniform(-2, 2, shape)
    return H.away_from(x, ()).astype(dtype)


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
    H.check_invalid(f, (numpy.zeros((2, 3), numpy.int32),), 'Tanh')
