import numpy
import pytest

import kusari
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


def _reference(x, offset, axis1, axis2):
    # independent of numpy.diagonal: explicit loops
    x2 = numpy.moveaxis(x, (axis1, axis2), (-2, -1))
    n1, n2 = x2.shape[-2:]
    vals = [x2[..., i, i + offset] for i in range(n1) if 0 <= i + offset < n2]
    if not vals:
        return numpy.zeros(x2.shape[:-2] + (0,), x.dtype)
    return numpy.stack(vals, axis=-1)


CASES = [((3, 4), 0, 0, 1), ((3, 4), 1, 0, 1), ((3, 4), -2, 0, 1),
         ((2, 3, 4), 0, 2, 0), ((2, 3, 4), 1, -1, 1), ((2, 3, 4, 2), -1, 1, 3),
         ((2, 3), 5, 0, 1)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,offset,axis1,axis2', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, shape, offset, axis1, axis2, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.diagonal(x if contiguous else _noncontig(x), offset, axis1, axis2)
    numpy.testing.assert_array_equal(y.array, _reference(x, offset, axis1, axis2))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,offset,axis1,axis2', CASES[:-1])
def test_backward(dtype, shape, offset, axis1, axis2):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y_shape = _reference(x, offset, axis1, axis2).shape
    gy = numpy.random.uniform(-1, 1, y_shape).astype(dtype)
    f = lambda x: F.diagonal(x, offset, axis1, axis2)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


def test_gradient_values():
    x = kusari.Variable(numpy.zeros((2, 3), numpy.float32))
    y = F.diagonal(x, 1)
    y.grad = numpy.array([1, 2], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 1, 0], [0, 0, 2]])


@pytest.mark.parametrize('shape,axis1,axis2', [((3,), 0, 1), ((2, 3), 0, 0),
                                               ((2, 3), 0, 2), ((2, 3), -3, 1)])
def test_invalid(shape, axis1, axis2):
    with pytest.raises(InvalidType, match='Diagonal'):
        F.diagonal(numpy.zeros(shape, numpy.float32), 0, axis1, axis2)
