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


def _reference(xs, axis):
    n = xs[0].ndim + 1
    axis = axis % n
    out = numpy.empty(xs[0].shape[:axis] + (len(xs),) + xs[0].shape[axis:], xs[0].dtype)
    for i, x in enumerate(xs):
        out[(slice(None),) * axis + (i,)] = x
    return out


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,n,axis', [((3, 2), 2, 0), ((3, 2), 3, 1), ((3, 2), 2, 2),
                                          ((3, 2), 2, -1), ((3, 2), 1, -3), ((), 3, 0)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, n, axis, contiguous):
    xs = tuple(numpy.random.uniform(-1, 1, shape).astype(dtype) for _ in range(n))
    ins = xs if contiguous or not shape else [_noncontig(x) for x in xs]
    y = F.stack(ins, axis)
    numpy.testing.assert_array_equal(y.array, _reference(xs, axis))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda *xs: F.stack(xs, axis)  # noqa: E731
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, xs, gy, xs, dtype=numpy.float64, **tol)


def test_gradient_values():
    a = kusari.Variable(numpy.zeros(2, numpy.float32))
    b = kusari.Variable(numpy.zeros(2, numpy.float32))
    y = F.stack((a, b), axis=1)
    y.grad = numpy.array([[1, 2], [3, 4]], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(a.grad, [1, 3])
    numpy.testing.assert_array_equal(b.grad, [2, 4])


@pytest.mark.parametrize('xs,axis', [
    ([numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 2), numpy.float32)], 0),
    ([numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64)], 0),
    ([numpy.zeros((2, 3), numpy.float32)], 3),
    ([numpy.zeros((2, 3), numpy.float32)], -4),
    ([], 0),
])
def test_invalid(xs, axis):
    with pytest.raises(InvalidType, match='Stack'):
        F.stack(xs, axis)
