import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]
SHAPES = [[(), ()], [(3,), (3,)], [(2, 2), (2, 2)], [(2, 2, 1), (2, 2, 3)], [(2, 1, 1, 2), (2, 1, 3, 2)]]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-3, rtol=5e-3)
    return dict(atol=1e-5, rtol=1e-4)


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shapes', SHAPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, shapes, contiguous):
    xs = [numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ins = xs if contiguous else [_noncontig(x) for x in xs]
    y = F.dstack(ins)
    numpy.testing.assert_array_equal(y.array, numpy.dstack(xs))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shapes', SHAPES)
def test_backward(dtype, shapes):
    xs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    gy = numpy.random.uniform(-1, 1, numpy.dstack(xs).shape).astype(dtype)
    f = lambda *xs: F.dstack(xs)  # noqa: E731
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, xs, gy, xs, dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('xs', [
    [numpy.zeros((2, 2), numpy.float32), numpy.zeros((2, 3), numpy.float32)],
    [numpy.zeros((2, 2), numpy.float32), numpy.zeros((2, 2), numpy.float64)],
    [numpy.zeros((2, 2), numpy.float32), numpy.zeros((2, 2, 1), numpy.float32)],
    [],
])
def test_invalid(xs):
    with pytest.raises(InvalidType, match='dstack'):
        F.dstack(xs)
