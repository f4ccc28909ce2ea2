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


CASES = [([4, 2, 1], ()), ([3, 3], (2,)), ([2], (2, 1)), ([3, 1, 1, 0], ())]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('lengths,unit', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward_backward(dtype, lengths, unit, contiguous):
    xs = tuple(numpy.random.uniform(-1, 1, (n,) + unit).astype(dtype) for n in lengths)
    ins = xs if contiguous else [_noncontig(x) for x in xs]
    ys = F.transpose_sequence(ins)
    assert isinstance(ys, tuple) and len(ys) == lengths[0]
    for p, y in enumerate(ys):
        expected = [x[p] for x in xs if len(x) > p]
        assert y.shape == (len(expected),) + unit
        for i, e in enumerate(expected):
            numpy.testing.assert_array_equal(y.array[i], e)
    gys = tuple(numpy.random.uniform(-1, 1, y.shape).astype(dtype) for y in ys)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda *xs: F.transpose_sequence(xs)  # noqa: E731
    gradient_check.check_backward(f, xs, gys, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, xs, gys, xs, dtype=numpy.float64, **tol)


def test_involution_and_empty():
    xs = [numpy.arange(3.), numpy.arange(2.), numpy.arange(2.)]
    back = F.transpose_sequence(F.transpose_sequence(xs))
    for x, y in zip(xs, back):
        numpy.testing.assert_array_equal(x, y.array)
    assert F.transpose_sequence([]) == ()


def test_unused_outputs_get_zero_gradient():
    xs = [kusari.Variable(numpy.zeros(2, numpy.float32)),
          kusari.Variable(numpy.zeros(1, numpy.float32))]
    ys = F.transpose_sequence(xs)
    ys[1].grad = numpy.array([5], numpy.float32)
    ys[1].backward()
    numpy.testing.assert_array_equal(xs[0].grad, [0, 5])
    assert xs[1].grad is None or not xs[1].grad.any()


@pytest.mark.parametrize('xs', [
    [numpy.zeros(1, numpy.float32), numpy.zeros(2, numpy.float32)],
    [numpy.zeros((2, 1), numpy.float32), numpy.zeros((2, 2), numpy.float32)],
    [numpy.zeros(2, numpy.float32), numpy.zeros(2, numpy.float64)],
])
def test_invalid(xs):
    with pytest.raises(InvalidType, match='TransposeSequence'):
        F.transpose_sequence(xs)
