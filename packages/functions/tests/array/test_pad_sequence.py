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


def _reference(xs, length, padding):
    length = max(len(x) for x in xs) if length is None else length
    y = numpy.full((len(xs), length) + xs[0].shape[1:], padding, xs[0].dtype)
    for i, x in enumerate(xs):
        for j in range(len(x)):
            y[i, j] = x[j]
    return y


CASES = [([3, 1, 2], (), None, 0), ([2, 2], (3,), 4, -1.5), ([0, 2], (2,), None, 1),
         ([1], (), 1, 0)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('lengths,unit,length,padding', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, lengths, unit, length, padding, contiguous):
    xs = [numpy.random.uniform(-1, 1, (n,) + unit).astype(dtype) for n in lengths]
    ins = xs if contiguous else [_noncontig(x) for x in xs]
    y = F.pad_sequence(ins, length, padding)
    numpy.testing.assert_array_equal(y.array, _reference(xs, length, padding))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('lengths,unit,length,padding', CASES)
def test_backward(dtype, lengths, unit, length, padding):
    xs = tuple(numpy.random.uniform(-1, 1, (n,) + unit).astype(dtype) for n in lengths)
    gy = numpy.random.uniform(
        -1, 1, _reference(xs, length, padding).shape).astype(dtype)
    f = lambda *xs: F.pad_sequence(xs, length, padding)  # noqa: E731
    gradient_check.check_backward(f, xs, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, xs, gy, xs, dtype=numpy.float64,
                                         **_tol(dtype))


def test_int_sequences():
    y = F.pad_sequence([numpy.array([1, 2]), numpy.array([3])], padding=-1)
    numpy.testing.assert_array_equal(y.array, [[1, 2], [3, -1]])


@pytest.mark.parametrize('xs,length', [
    ([numpy.zeros(3, numpy.float32)], 2),
    ([numpy.zeros((2, 2), numpy.float32), numpy.zeros((2, 3), numpy.float32)], None),
    ([numpy.zeros(2, numpy.float32), numpy.zeros(2, numpy.float64)], None),
    ([numpy.zeros((), numpy.float32)], None),
    ([], None),
])
def test_invalid(xs, length):
    with pytest.raises(InvalidType, match='PadSequence'):
        F.pad_sequence(xs, length)
