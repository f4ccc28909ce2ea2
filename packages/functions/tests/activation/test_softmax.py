"""Tests of kusari.functions.softmax and log_softmax."""
import numpy
import pytest

from kusari.functions import log_softmax
from kusari.functions import softmax

DTYPES = (numpy.float16, numpy.float32, numpy.float64)


def ref_softmax(x, axis):
    x = x.astype(numpy.float64)
    e = numpy.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def ref_log_softmax(x, axis):
    x = x.astype(numpy.float64)
    z = x - x.max(axis=axis, keepdims=True)
    return z - numpy.log(numpy.exp(z).sum(axis=axis, keepdims=True))


CASES = [((3, 4), 1), ((3, 4), 0), ((3, 4), -1), ((2, 3, 4), 1), ((2, 3, 4), 2),
         ((5,), 0)]


@pytest.mark.parametrize('func,ref', [(softmax, ref_softmax),
                                      (log_softmax, ref_log_softmax)])
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,axis', CASES)
def test_forward(H, func, ref, dtype, shape, axis):
    x = numpy.random.uniform(-2, 2, shape).astype(dtype)
    H.check_forward(lambda x: func(x, axis=axis), (x,), ref(x, axis), dtype)


@pytest.mark.parametrize('func,ref', [(softmax, ref_softmax),
                                      (log_softmax, ref_log_softmax)])
def test_default_axis_and_large_values(H, func, ref):
    x = numpy.array([[1000., 1001., 1002.], [-1000., 0., 5.]], numpy.float32)
    H.check_forward(func, (x,), ref(x, 1), numpy.float32)


@pytest.mark.parametrize('func,ref', [(softmax, ref_softmax),
                                      (log_softmax, ref_log_softmax)])
@pytest.mark.parametrize('axis', [1, -1])
def test_forward_noncontiguous(H, func, ref, axis):
    x = H.noncontiguous(numpy.random.uniform(-2, 2, (3, 4)).astype(numpy.float32))
    H.check_forward(lambda x: func(x, axis=axis), (x,), ref(x, axis), numpy.float32)


@pytest.mark.parametrize('func', [softmax, log_softmax])
@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,axis', [((3, 4), 1), ((2, 3, 2), 1), ((2, 3), 0)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_backward(H, func, dtype, shape, axis, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    if not contiguous:
        x, gy = H.noncontiguous(x), H.noncontiguous(gy)
    H.check_grads(lambda x: func(x, axis=axis), (x,), gy, dtype)


@pytest.mark.parametrize('func,name', [(softmax, 'Softmax'),
                                       (log_softmax, 'LogSoftmax')])
def test_invalid(H, func, name):
    H.check_invalid(func, (numpy.zeros((2, 3), numpy.int32),), name)
    H.check_invalid(lambda x: func(x, axis=2), (numpy.zeros((2, 3), numpy.float32),),
                    name)
