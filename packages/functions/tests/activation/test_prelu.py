"""Tests of kusari.functions.prelu."""
import numpy
import pytest

from kusari.functions import prelu

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def ref(x, W):
    x = x.astype(numpy.float64)
    Wb = W.astype(numpy.float64).reshape((1,) + W.shape + (1,) * (x.ndim - W.ndim - 1))
    return numpy.where(x >= 0, x, x * Wb)


def make(H, xshape, wshape, dtype):
    x = H.away_from(numpy.random.uniform(-1, 1, xshape), (0,)).astype(dtype)
    W = numpy.random.uniform(0.1, 0.5, wshape).astype(dtype)
    return x, W


SHAPES = [((2, 3), (3,)), ((2, 3, 4), (3,)), ((2, 3, 4), (3, 4)), ((2, 3), ())]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('xshape,wshape', SHAPES)
def test_forward(H, dtype, xshape, wshape):
    x, W = make(H, xshape, wshape, dtype)
    H.check_forward(prelu, (x, W), ref(x, W), dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('xshape,wshape', SHAPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, dtype, xshape, wshape, contiguous):
    x, W = make(H, xshape, wshape, dtype)
    gy = numpy.random.uniform(-1, 1, xshape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(prelu, (x, W), gy, dtype)


def test_invalid(H):
    x = numpy.zeros((2, 3), numpy.float32)
    H.check_invalid(prelu, (x.astype(numpy.int32), numpy.zeros(3, numpy.int32)),
                    'PReLUFunction')
    H.check_invalid(prelu, (x, numpy.zeros(3, numpy.float64)), 'PReLUFunction')
    H.check_invalid(prelu, (x, numpy.zeros(4, numpy.float32)), 'PReLUFunction')
    H.check_invalid(prelu, (x, numpy.zeros((3, 1), numpy.float32)), 'PReLUFunction')
