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


CASES = [
    ([(2, 3), (2, 1), (2, 4)], 1),
    ([(2, 3), (1, 3)], 0),
    ([(2, 3, 1), (2, 3, 2)], -1),
    ([(4,)], 0),
    ([(2, 0), (2, 2)], 1),
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shapes,axis', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, shapes, axis, contiguous):
    xs = [numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ins = xs if contiguous else [_noncontig(x) for x in xs]
    y = F.concat(ins, axis=axis)
    numpy.testing.assert_array_equal(y.array, numpy.concatenate(xs, axis=axis))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shapes,axis', CASES)
def test_backward(dtype, shapes, axis):
    xs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    y_shape = numpy.concatenate(xs, axis=axis).shape
    gy = numpy.random.uniform(-1, 1, y_shape).astype(dtype)
    ggxs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    f = lambda *xs: F.concat(xs, axis=axis)  # noqa: E731
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, xs, gy, ggxs, dtype=numpy.float64,
                                         **_tol(dtype))


def test_default_axis_and_int_dtype():
    xs = [numpy.arange(4).reshape(2, 2), numpy.arange(2).reshape(2, 1)]
    y = F.concat(xs)
    numpy.testing.assert_array_equal(y.array, numpy.concatenate(xs, axis=1))


def test_gradient_values():
    a = kusari.Variable(numpy.zeros((2, 1), numpy.float32))
    b = kusari.Variable(numpy.zeros((2, 2), numpy.float32))
    y = F.concat((a, b))
    y.grad = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    y.backward()
    numpy.testing.assert_array_equal(a.grad, [[0], [3]])
    numpy.testing.assert_array_equal(b.grad, [[1, 2], [4, 5]])


@pytest.mark.parametrize('xs,axis', [
    ([numpy.zeros((2, 3), numpy.float32), numpy.zeros((3, 3), numpy.float32)], 1),
    ([numpy.zeros((2, 3), numpy.float32), numpy.zeros((2, 3), numpy.float64)], 1),
    ([numpy.zeros((2, 3), numpy.float32), numpy.zeros((2,), numpy.float32)], 0),
    ([numpy.zeros((2, 3), numpy.float32)], 2),
    ([numpy.zeros((2, 3), numpy.float32)], -3),
])
def test_invalid(xs, axis):
    with pytest.raises(InvalidType, match='Concat'):
        F.concat(xs, axis=axis)


@pytest.mark.gpu
def test_gpu():
    import cupy
    xs = (cupy.ones((2, 3), numpy.float32), cupy.zeros((2, 1), numpy.float32))
    gradient_check.check_backward(lambda *xs: F.concat(xs), xs,
                                  cupy.ones((2, 4), numpy.float32))
