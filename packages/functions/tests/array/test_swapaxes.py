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


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,a1,a2', [((2, 3), 0, 1), ((2, 3, 4), 0, 2),
                                         ((2, 3, 4), -1, 1), ((2, 3), 1, 1)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, a1, a2, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.swapaxes(x if contiguous else _noncontig(x), a1, a2)
    perm = list(range(len(shape)))
    perm[a1], perm[a2] = perm[a2], perm[a1]
    numpy.testing.assert_array_equal(y.array, numpy.transpose(x, perm))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.swapaxes(x, a1, a2)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('a1,a2', [(0, 2), (-3, 0)])
def test_invalid(a1, a2):
    with pytest.raises(InvalidType, match='Swapaxes'):
        F.swapaxes(numpy.zeros((2, 3), numpy.float32), a1, a2)
