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


def _reference(X, r):
    b, c, h, w = X.shape
    oc = c // (r * r)
    y = numpy.empty((b, oc, h * r, w * r), X.dtype)
    for i in range(r):
        for j in range(r):
            for ch in range(oc):
                y[:, ch, i::r, j::r] = X[:, (i * r + j) * oc + ch]
    return y


def test_chainer_example():
    X = numpy.arange(24).reshape(1, 4, 2, 3).astype(numpy.float32)
    y = F.depth2space(X, 2)
    numpy.testing.assert_array_equal(y.array[0, 0], [
        [0, 6, 1, 7, 2, 8], [12, 18, 13, 19, 14, 20],
        [3, 9, 4, 10, 5, 11], [15, 21, 16, 22, 17, 23]])


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('r,shape', [(2, (2, 8, 2, 3)), (3, (1, 9, 1, 2)), (1, (1, 2, 2, 2))])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, r, shape, contiguous):
    X = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.depth2space(X if contiguous else _noncontig(X), r)
    numpy.testing.assert_array_equal(y.array, _reference(X, r))


@pytest.mark.parametrize('dtype', DTYPES)
def test_backward(dtype):
    X = numpy.random.uniform(-1, 1, (2, 8, 2, 3)).astype(dtype)
    gy = numpy.random.uniform(-1, 1, (2, 2, 4, 6)).astype(dtype)
    f = lambda X: F.depth2space(X, 2)  # noqa: E731
    gradient_check.check_backward(f, X, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, X, gy, X, dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('X', [
    numpy.zeros((1, 3, 2, 2), numpy.float32),     # channels not divisible by 4
    numpy.zeros((4, 2, 2), numpy.float32),        # not 4-D
    numpy.zeros((1, 4, 2, 2), numpy.int32),       # not float
])
def test_invalid(X):
    with pytest.raises(InvalidType, match='Depth2Space'):
        F.depth2space(X, 2)


def test_bad_r():
    with pytest.raises(ValueError, match='depth2space'):
        F.depth2space(numpy.zeros((1, 4, 2, 2), numpy.float32), 0)
