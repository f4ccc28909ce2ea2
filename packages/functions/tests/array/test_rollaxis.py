import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


CASES = [(3, 1), (1, 4), (0, 0), (2, -1), (-1, 0), (1, 2), (2, 2), (-4, -4), (0, 4)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis,start', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, axis, start, contiguous):
    x = numpy.random.uniform(-1, 1, (2, 3, 4, 5)).astype(dtype)
    y = F.rollaxis(x if contiguous else _noncontig(x), axis, start)
    numpy.testing.assert_array_equal(y.array, numpy.rollaxis(x, axis, start))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.rollaxis(x, axis, start)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


def test_default_start():
    x = numpy.zeros((2, 3, 4), numpy.float32)
    assert F.rollaxis(x, 2).shape == (4, 2, 3)


@pytest.mark.parametrize('axis,start', [(3, 0), (-4, 0), (0, 4), (0, -4)])
def test_invalid(axis, start):
    with pytest.raises(InvalidType, match='Rollaxis'):
        F.rollaxis(numpy.zeros((2, 3, 4), numpy.float32), axis, start)
