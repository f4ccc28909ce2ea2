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
    y = numpy.empty((b, c * r * r, h // r, w // r), X.dtype)
    for i in range(r):
        for j in range(r):
            for ch in range(c):
                y[:, (i * r + j) * c + ch] = X[:, ch, i::r, j::r]
    return y


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('r,shape', [(2, (2, 2, 4, 6)), (3, (1, 1, 3, 6)), (1, (1, 2, 2, 2))])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, r, shape, contiguous):
    X = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.space2depth(X if contiguous else _noncontig(X), r)
    numpy.testing.assert_array_equal(y.array, _reference(X, r))


def test_inverse_of_depth2space():
    X = numpy.random.uniform(-1, 1, (2, 12, 3, 2)).astype(numpy.float32)
    numpy.testing.assert_array_equal(F.space2depth(F.depth2space(X, 2), 2).array, X)


@pytest.mark.parametrize('dtype', DTYPES)
def test_backward(dtype):
    X = numpy.random.uniform(-1, 1, (2, 2, 4, 6)).astype(dtype)
    gy = numpy.random.uniform(-1, 1, (2, 8, 2, 3)).astype(dtype)
    f = lambda X: F.space2depth(X, 2)  # noqa: E731
    gradient_check.check_backward(f, X, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, X, gy, X, dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('X', [
    numpy.zeros((1, 1, 3, 4), numpy.float32),     # height not divisible
    numpy.zeros((1, 4, 4), numpy.float32),        # not 4-D
    numpy.zeros((1, 1, 4, 4), numpy.int32),       # not float
])
def test_invalid(X):
    with pytest.raises(InvalidType, match='Space2Depth'):
        F.space2depth(X, 2)
