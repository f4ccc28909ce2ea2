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


def _reference(x, indices, axis, inv):
    xm = numpy.moveaxis(x, axis, 0)
    y = numpy.empty_like(xm)
    for i, k in enumerate(indices):
        if inv:
            y[k] = xm[i]
        else:
            y[i] = xm[k]
    return numpy.moveaxis(y, 0, axis)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('axis', [0, 1, -1])
@pytest.mark.parametrize('inv', [False, True])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, axis, inv, contiguous):
    x = numpy.random.uniform(-1, 1, (3, 4, 3)).astype(dtype)
    indices = numpy.random.permutation(x.shape[axis]).astype(numpy.int32)
    y = F.permutate(x if contiguous else _noncontig(x), indices, axis, inv)
    numpy.testing.assert_array_equal(y.array, _reference(x, indices, axis, inv))
    gy = numpy.random.uniform(-1, 1, x.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x, i: F.permutate(x, i, axis, inv)  # noqa: E731
    gradient_check.check_backward(f, (x, indices), gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, (x, indices), gy, x, dtype=numpy.float64,
                                         **tol)


def test_indices_as_variable():
    x = numpy.arange(3, dtype=numpy.float32)
    i = kusari.Variable(numpy.array([2, 0, 1], numpy.int32))
    numpy.testing.assert_array_equal(F.permutate(x, i).array, [2, 0, 1])


@pytest.mark.parametrize('indices', [[0, 0, 1], [0, 1, 3], [-1, 0, 1]])
def test_not_a_permutation(indices):
    with pytest.raises(ValueError, match='permutate'):
        F.permutate(numpy.zeros(3, numpy.float32), numpy.array(indices, numpy.int32))


@pytest.mark.parametrize('x,indices,axis', [
    (numpy.zeros(3, numpy.float32), numpy.array([0, 1], numpy.int32), 0),
    (numpy.zeros(3, numpy.float32), numpy.array([0., 1, 2], numpy.float32), 0),
    (numpy.zeros(3, numpy.float32), numpy.array([[0, 1, 2]], numpy.int32), 0),
    (numpy.zeros(3, numpy.float32), numpy.array([0, 1, 2], numpy.int32), 1),
])
def test_invalid(x, indices, axis):
    with pytest.raises(InvalidType, match='Permutate'):
        F.permutate(x, indices, axis)
