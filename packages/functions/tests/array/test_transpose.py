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


def _reference(x, axes):
    axes = tuple(reversed(range(x.ndim))) if axes is None else axes
    out = numpy.empty(tuple(x.shape[a] for a in axes), x.dtype)
    for idx in numpy.ndindex(*x.shape):
        out[tuple(idx[a] for a in axes)] = x[idx]
    return out


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,axes', [((2, 3), None), ((2, 3, 4), (1, 2, 0)),
                                        ((2, 3, 4), (-1, 0, 1)), ((3,), None)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, axes, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.transpose(x if contiguous else _noncontig(x), axes)
    numpy.testing.assert_array_equal(y.array, _reference(x, axes))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.transpose(x, axes)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


def test_invalid():
    with pytest.raises(InvalidType, match='Transpose'):
        F.transpose(numpy.zeros((2, 3), numpy.float32), (0, 1, 2))
