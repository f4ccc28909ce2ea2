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
@pytest.mark.parametrize('shape,axis', [((3, 2), 0), ((3, 2), 1), ((2, 3, 2), -2),
                                        ((3,), 0), ((1, 2), 0)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, axis, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    ys = F.separate(x if contiguous else _noncontig(x), axis)
    assert isinstance(ys, tuple) and len(ys) == shape[axis]
    for i, y in enumerate(ys):
        assert isinstance(y.array, numpy.ndarray)
        numpy.testing.assert_array_equal(y.array, numpy.take(x, i, axis=axis))
    gys = tuple(numpy.random.uniform(-1, 1, y.shape).astype(dtype) for y in ys)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.separate(x, axis)  # noqa: E731
    gradient_check.check_backward(f, x, gys, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gys, x, dtype=numpy.float64, **tol)


def test_unused_outputs_get_zero_gradient():
    x = kusari.Variable(numpy.zeros((3, 2), numpy.float32))
    ys = F.separate(x)
    ys[1].grad = numpy.array([1, 2], numpy.float32)
    ys[1].backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 0], [1, 2], [0, 0]])


@pytest.mark.parametrize('axis', [2, -3])
def test_invalid(axis):
    with pytest.raises(InvalidType, match='Separate'):
        F.separate(numpy.zeros((3, 2), numpy.float32), axis)
