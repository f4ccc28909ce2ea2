"""Tests of kusari.functions.crelu."""
import numpy
import pytest

from kusari.functions import crelu

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def ref(x, axis):
    x = x.astype(numpy.float64)
    return numpy.concatenate([numpy.maximum(x, 0), numpy.maximum(-x, 0)], axis=axis)


def make_input(H, shape, dtype):
    return H.away_from(numpy.random.uniform(-1, 1, shape), (0,)).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,axis', [((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1),
                                        ((2, 3, 4), -3)])
def test_forward(H, dtype, shape, axis):
    x = make_input(H, shape, dtype)
    H.check_forward(lambda x: crelu(x, axis=axis), (x,), ref(x, axis), dtype)


def test_forward_noncontiguous(H):
    x = H.noncontiguous(make_input(H, (3, 4), numpy.float32))
    H.check_forward(crelu, (x,), ref(x, 1), numpy.float32)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [0, 1])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, dtype, axis, contiguous):
    x = make_input(H, (3, 4), dtype)
    shape = list(x.shape)
    shape[axis] *= 2
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(lambda x: crelu(x, axis=axis), (x,), gy, dtype)


def test_invalid(H):
    H.check_invalid(crelu, (numpy.zeros((2, 3), numpy.int32),), 'CReLU')
    H.check_invalid(lambda x: crelu(x, axis=2), (numpy.zeros((2, 3), numpy.float32),),
                    'CReLU')
    H.check_invalid(lambda x: crelu(x, axis=-3),
                    (numpy.zeros((2, 3), numpy.float32),), 'CReLU')
    with pytest.raises(TypeError, match='crelu'):
        crelu(numpy.zeros((2, 3), numpy.float32), axis=1.0)
