import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


def _reference(x, reps):
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    d = max(len(reps), x.ndim)
    reps = (1,) * (d - len(reps)) + reps
    x = x.reshape((1,) * (d - x.ndim) + x.shape)
    out = numpy.empty(tuple(r * s for r, s in zip(reps, x.shape)), x.dtype)
    for idx in numpy.ndindex(*out.shape):
        out[idx] = x[tuple(i % s for i, s in zip(idx, x.shape))]
    return out


CASES = [((2, 3), 2), ((2, 3), (2, 1)), ((2, 3), (2, 1, 3)), ((3,), (2, 2)), ((2, 3), 0),
         ((), 3), ((2, 1, 2), (1, 3))]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,reps', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, shape, reps, contiguous):
    x = numpy.random.uniform(-1, 1, shape).astype(dtype)
    y = F.tile(x if contiguous or not shape else _noncontig(x), reps)
    numpy.testing.assert_array_equal(y.array, _reference(x, reps))
    gy = numpy.random.uniform(-1, 1, y.shape).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.tile(x, reps)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


def test_gradient_values():
    x = kusari.Variable(numpy.zeros(2, numpy.float32))
    y = F.tile(x, 3)
    y.grad = numpy.arange(6, dtype=numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [0 + 2 + 4, 1 + 3 + 5])


def test_invalid():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(ValueError, match='tile'):
        F.tile(x, -1)
    with pytest.raises(TypeError, match='tile'):
        F.tile(x, (2, 1.5))
