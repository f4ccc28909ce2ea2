"""Tests of kusari.functions.maxout."""
import numpy
import pytest

from kusari.functions import maxout

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def ref(x, pool_size, axis):
    x = numpy.moveaxis(x.astype(numpy.float64), axis, -1)
    y = x.reshape(x.shape[:-1] + (x.shape[-1] // pool_size, pool_size)).max(axis=-1)
    return numpy.moveaxis(y, -1, axis)


def make_input(shape, dtype):
    # distinct values, far apart: no ties, and finite differences keep the argmax
    n = int(numpy.prod(shape))
    x = numpy.random.permutation(n).reshape(shape) * 0.1 - n * 0.05
    return x.astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,pool_size,axis', [((2, 6), 3, 1), ((2, 6, 3), 2, 1),
                                                  ((4, 3), 2, 0), ((2, 3, 4), 2, -1)])
def test_forward(H, dtype, shape, pool_size, axis):
    x = make_input(shape, dtype)
    H.check_forward(lambda x: maxout(x, pool_size, axis), (x,),
                    ref(x, pool_size, axis), dtype)


def test_forward_noncontiguous(H):
    x = H.noncontiguous(make_input((2, 6), numpy.float32))
    H.check_forward(lambda x: maxout(x, 2), (x,), ref(x, 2, 1), numpy.float32)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,pool_size,axis', [((2, 6), 3, 1), ((4, 3), 2, 0)])
def test_backward(H, dtype, shape, pool_size, axis):
    x = make_input(shape, dtype)
    yshape = list(shape)
    yshape[axis] //= pool_size
    gy = numpy.random.uniform(-1, 1, yshape).astype(dtype)
    H.check_grads(lambda x: maxout(x, pool_size, axis), (x,), gy, dtype)


def test_invalid(H):
    H.check_invalid(lambda x: maxout(x, 4), (numpy.zeros((2, 6), numpy.float32),),
                    'maxout')
    H.check_invalid(lambda x: maxout(x, 2, axis=3),
                    (numpy.zeros((2, 6), numpy.float32),), 'maxout')
    with pytest.raises(ValueError, match='maxout'):
        maxout(numpy.zeros((2, 6), numpy.float32), 0)
