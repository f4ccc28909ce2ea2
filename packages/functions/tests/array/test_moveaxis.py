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


CASES = [(0, -1), (2, 0), ((0, 1), (2, 3)), ((3, 0), (0, 3)), ((-1, 1), (1, -1)),
         ((), ())]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('src,dst', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, src, dst, contiguous):
    x = numpy.random.uniform(-1, 1, (2, 3, 4, 1)).astype(dtype)
    y = F.moveaxis(x if contiguous else _noncontig(x), src, dst)
    numpy.testing.assert_array_equal(y.array, numpy.moveaxis(x, src, dst))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.moveaxis(x, src, dst)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


def test_invalid():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='Moveaxis'):
        F.moveaxis(x, 2, 0)
    with pytest.raises(InvalidType, match='Moveaxis'):
        F.moveaxis(x, 0, -3)
    with pytest.raises(ValueError, match='Moveaxis'):
        F.moveaxis(x, (0, 0), (0, 1))
    with pytest.raises(ValueError, match='Moveaxis'):
        F.moveaxis(x, (0, 1), (0,))
