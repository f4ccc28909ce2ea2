import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('in_shape,out_shape,expected', [
    ((4, 3), (2, 6), (2, 6)),
    ((4, 3), (-1,), (12,)),
    ((4, 3), (3, -1, 2), (3, 2, 2)),
    ((4, 3), (2, 2, 3), (2, 2, 3)),
    ((1,), (), ()),
    ((), (1, 1), (1, 1)),
])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, in_shape, out_shape, expected, contiguous):
    x = numpy.random.uniform(-1, 1, in_shape).astype(dtype)
    y = F.reshape(x if contiguous or not in_shape else _noncontig(x), out_shape)
    assert y.shape == expected
    numpy.testing.assert_array_equal(y.array.ravel(), x.ravel())
    gy = numpy.random.uniform(-1, 1, expected).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.reshape(x, out_shape)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


def test_same_shape_returns_variable():
    x = kusari.Variable(numpy.zeros((2, 3), numpy.float32))
    assert F.reshape(x, (2, 3)) is x


@pytest.mark.parametrize('shape', [(5,), (-1, -1), (7, -1)])
def test_invalid(shape):
    with pytest.raises(InvalidType, match='Reshape'):
        F.reshape(numpy.zeros((4, 3), numpy.float32), shape)
