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


def _reference(x, repeats, axis):
    if axis is None:
        x, axis = x.ravel(), 0
    reps = [repeats] * x.shape[axis] if isinstance(repeats, int) else list(repeats)
    if len(reps) == 1:
        reps = reps * x.shape[axis]
    parts = []
    for k in range(x.shape[axis]):
        sl = numpy.take(x, [k], axis=axis)
        parts += [sl] * reps[k]
    if not parts:
        shape = list(x.shape)
        shape[axis] = 0
        return numpy.zeros(shape, x.dtype)
    return numpy.concatenate(parts, axis=axis)


CASES = [(2, None), (2, 0), ((1, 0, 3), 1), ((2,), -1), (0, 1), ([1, 2, 0, 1, 1, 3], None),
         ((3, 1), 0)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('repeats,axis', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, repeats, axis, contiguous):
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    y = F.repeat(x if contiguous else _noncontig(x), repeats, axis)
    numpy.testing.assert_array_equal(y.array, _reference(x, repeats, axis))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('repeats,axis', CASES)
def test_backward(dtype, repeats, axis):
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    gy = numpy.random.uniform(-1, 1, _reference(x, repeats, axis).shape).astype(dtype)
    f = lambda x: F.repeat(x, repeats, axis)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


def test_gradient_values():
    x = kusari.Variable(numpy.zeros(3, numpy.float32))
    y = F.repeat(x, (2, 0, 1))
    y.grad = numpy.array([1, 2, 3], numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [3, 0, 3])


def test_invalid():
    x = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='Repeat'):
        F.repeat(x, (1, 2), axis=1)
    with pytest.raises(InvalidType, match='Repeat'):
        F.repeat(x, 2, axis=2)
    with pytest.raises(ValueError, match='repeat'):
        F.repeat(x, -1)
    with pytest.raises(TypeError, match='repeat'):
        F.repeat(x, 1.5)


@pytest.mark.parametrize('repeats, axis', [(True, None), ((True,), 0),
                                           ((True, False, True), 0), (False, None)])
def test_bool_repeats_count_as_ints(repeats, axis):
    # Chainer accepts bools as repeat counts (True is 1)
    x = numpy.arange(3, dtype=numpy.float32)
    want = numpy.repeat(x, numpy.asarray(repeats, dtype=int), axis)
    numpy.testing.assert_array_equal(F.repeat(x, repeats, axis).array, want)


def test_bool_axis_is_rejected():
    with pytest.raises(TypeError, match='repeat'):
        F.repeat(numpy.arange(3, dtype=numpy.float32), 1, True)
