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


def _reverse(x, axis):
    # independent reference: index with a reversed arange
    idx = numpy.arange(x.shape[axis])[::-1].copy()
    return numpy.take(x, idx, axis=axis)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,axis', [((3,), 0), ((2, 3), 1), ((2, 3), -2),
                                        ((2, 3, 4), 2)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_flip(dtype, shape, axis, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.flip(x if contiguous else _noncontig(x), axis)
    numpy.testing.assert_array_equal(y.array, _reverse(x, axis))
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    f = lambda x: F.flip(x, axis)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(2, 3), (3, 2, 2)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_fliplr(dtype, shape, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.fliplr(x if contiguous else _noncontig(x))
    numpy.testing.assert_array_equal(y.array, _reverse(x, 1))
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_backward(F.fliplr, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(F.fliplr, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3,), (2, 3)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_flipud(dtype, shape, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.flipud(x if contiguous else _noncontig(x))
    numpy.testing.assert_array_equal(y.array, _reverse(x, 0))
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_backward(F.flipud, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(F.flipud, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


def test_invalid():
    with pytest.raises(InvalidType, match='Flip'):
        F.flip(numpy.zeros((2, 3), numpy.float32), 2)
    with pytest.raises(InvalidType, match='Flip'):
        F.flip(numpy.zeros((2, 3), numpy.float32), -3)
    with pytest.raises(InvalidType, match='FlipLR'):
        F.fliplr(numpy.zeros((3,), numpy.float32))
    with pytest.raises(InvalidType, match='FlipUD'):
        F.flipud(numpy.zeros((), numpy.float32))
    with pytest.raises(TypeError, match='flip'):
        F.flip(numpy.zeros((3,), numpy.float32), 0.5)
