import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 2), (2, 1, 3), (4,), ()])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.flatten(x if contiguous or not shape else _noncontig(x))
    assert y.shape == (x.size,)
    numpy.testing.assert_array_equal(y.array, [v for v in numpy.nditer(x)])
    gy = numpy.random.uniform(-1, 1, (x.size,)).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    gradient_check.check_backward(F.flatten, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(F.flatten, x, gy, x, dtype=numpy.float64,
                                         **tol)


def test_bad_input():
    with pytest.raises(TypeError, match='Variable'):
        F.flatten([1, 2, 3])
