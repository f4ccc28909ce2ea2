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
@pytest.mark.parametrize('t_dtype', [numpy.int8, numpy.int32, numpy.int64])
@pytest.mark.parametrize('shape', [(4, 3), (1, 1), (0, 3)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, t_dtype, shape, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    t = numpy.random.randint(0, shape[1], shape[0]).astype(t_dtype)
    y = F.select_item(x if contiguous else _noncontig(x), t)
    numpy.testing.assert_array_equal(y.array, [x[i, t[i]] for i in range(shape[0])])
    gy = numpy.random.uniform(-1, 1, shape[0]).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    gradient_check.check_backward(F.select_item, (x, t), gy, dtype=numpy.float64,
                                  **tol)
    gradient_check.check_double_backward(F.select_item, (x, t), gy, x,
                                         dtype=numpy.float64, **tol)


def test_gradient_values():
    x = kusari.Variable(numpy.zeros((2, 3), numpy.float32))
    y = F.select_item(x, numpy.array([2, 0], numpy.int32))
    y.grad = numpy.array([5, 7], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 0, 5], [7, 0, 0]])


@pytest.mark.parametrize('t', [[0, 3], [-1, 0]])
def test_out_of_range(t):
    with pytest.raises(ValueError, match='select_item'):
        F.select_item(numpy.zeros((2, 3), numpy.float32), numpy.array(t, numpy.int32))


@pytest.mark.parametrize('x,t', [
    (numpy.zeros((2, 3), numpy.int32), numpy.zeros(2, numpy.int32)),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros(2, numpy.float32)),
    (numpy.zeros((2, 3, 1), numpy.float32), numpy.zeros(2, numpy.int32)),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 1), numpy.int32)),
    (numpy.zeros((2, 3), numpy.float32), numpy.zeros(3, numpy.int32)),
])
def test_invalid(x, t):
    with pytest.raises(InvalidType, match='SelectItem'):
        F.select_item(x, t)
