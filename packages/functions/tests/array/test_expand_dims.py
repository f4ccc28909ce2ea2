import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-3, rtol=5e-3)
    return dict(atol=1e-5, rtol=1e-4)


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,axis,out', [((3, 2), 0, (1, 3, 2)), ((3, 2), 1, (3, 1, 2)),
                                            ((3, 2), 2, (3, 2, 1)), ((3, 2), -1, (3, 2, 1)),
                                            ((3, 2), -3, (1, 3, 2)), ((), 0, (1,))])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, axis, out, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.expand_dims(x if contiguous or not shape else _noncontig(x), axis)
    assert y.shape == out
    numpy.testing.assert_array_equal(y.array, x.reshape(out))
    gy = numpy.random.uniform(-1, 1, out).astype(dtype)
    f = lambda x: F.expand_dims(x, axis)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('axis', [3, -4])
def test_invalid(axis):
    with pytest.raises(InvalidType, match='ExpandDims'):
        F.expand_dims(numpy.zeros((3, 2), numpy.float32), axis)
