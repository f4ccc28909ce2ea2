"""Tests of kusari.functions.swish."""
import numpy
import pytest

from kusari.functions import swish

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def ref(x, beta):
    x = x.astype(numpy.float64)
    b = beta.astype(numpy.float64).reshape(
        (1,) + beta.shape + (1,) * (x.ndim - beta.ndim - 1))
    return x / (1 + numpy.exp(-b * x))


SHAPES = [((2, 3), (3,)), ((2, 3, 4), (3,)), ((2, 3, 4), (3, 4)), ((2, 3), ())]


def make(xshape, bshape, dtype):
    x = numpy.random.uniform(-2, 2, xshape).astype(dtype)
    beta = numpy.random.uniform(0.5, 1.5, bshape).astype(dtype)
    return x, beta


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('xshape,bshape', SHAPES)
def test_forward(H, dtype, xshape, bshape):
    x, beta = make(xshape, bshape, dtype)
    H.check_forward(swish, (x, beta), ref(x, beta), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('xshape,bshape', SHAPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, dtype, xshape, bshape, contiguous):
    x, beta = make(xshape, bshape, dtype)
    gy = numpy.random.uniform(-1, 1, xshape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(swish, (x, beta), gy, dtype)


def test_invalid(H):
    x = numpy.zeros((2, 3), numpy.float32)
    H.check_invalid(swish, (x.astype(numpy.int32), numpy.zeros(3, numpy.int32)),
                    'Swish')
    H.check_invalid(swish, (x, numpy.zeros(3, numpy.float64)), 'Swish')
    H.check_invalid(swish, (x, numpy.zeros(4, numpy.float32)), 'Swish')
    H.check_invalid(swish, (x, numpy.zeros((2, 3), numpy.float32)), 'Swish')
