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
@pytest.mark.parametrize('shape,axis,out', [
    ((1, 3, 1, 2), None, (3, 2)), ((1, 3, 1, 2), 0, (3, 1, 2)),
    ((1, 3, 1, 2), (0, 2), (3, 2)), ((1, 3, 1, 2), -2, (1, 3, 2)),
    ((1, 1), None, ()), ((3, 2), None, (3, 2)), ((3, 2), (), (3, 2)),
])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, axis, out, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.squeeze(x if contiguous else _noncontig(x), axis)
    assert y.shape == out and isinstance(y.array, numpy.ndarray)
    numpy.testing.assert_array_equal(y.array, x.reshape(out))
    gy = numpy.random.uniform(-1, 1, out).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.squeeze(x, axis)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


@pytest.mark.parametrize('axis', [4, -5, (4,), (-5,)])
def test_axis_out_of_range_is_invalid_type(axis):
    with pytest.raises(InvalidType, match='Squeeze'):
        F.squeeze(numpy.zeros((1, 3, 1, 2), numpy.float32), axis)


@pytest.mark.parametrize('axis', [1, (1,), (0, 1), -1])
def test_axis_of_length_not_one_is_value_error(axis):
    # Chainer (and NumPy) raise ValueError here
    with pytest.raises(ValueError, match='squeeze'):
        F.squeeze(numpy.zeros((1, 3, 1, 2), numpy.float32), axis)
