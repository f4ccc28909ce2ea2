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


def _reference(x, ios, axis):
    n = x.shape[axis]
    if isinstance(ios, int):
        bounds = [k * (n // ios) for k in range(ios + 1)]
    else:
        bounds = [0] + [min(i, n) for i in ios] + [n]
    idx = [slice(None)] * x.ndim
    out = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        idx[axis] = slice(lo, max(lo, hi))
        out.append(x[tuple(idx)])
    return out


CASES = [(2, 0), (3, 1), ([1, 3], 1), ([2], -1), ([0, 2, 2], 0), (numpy.array([1]), 0),
         ([1, 6], 1), (1, 0)]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('ios,axis', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, ios, axis, contiguous):
    x = numpy.random.uniform(-1, 1, (4, 6)).astype(dtype)
    ys = F.split_axis(x if contiguous else _noncontig(x), ios, axis)
    expected = _reference(x, ios if isinstance(ios, int) else list(ios), axis)
    assert isinstance(ys, tuple) and len(ys) == len(expected)
    for y, e in zip(ys, expected):
        numpy.testing.assert_array_equal(y.array, e)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('ios,axis', CASES)
def test_backward(dtype, ios, axis):
    x = numpy.random.uniform(-1, 1, (4, 6)).astype(dtype)
    expected = _reference(x, ios if isinstance(ios, int) else list(ios), axis)
    gys = tuple(numpy.random.uniform(-1, 1, e.shape).astype(dtype) for e in expected)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.split_axis(x, ios, axis)  # noqa: E731
    gradient_check.check_backward(f, x, gys, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gys, x, dtype=numpy.float64, **tol)


def test_force_tuple():
    x = numpy.zeros((2, 3), numpy.float32)
    assert isinstance(F.split_axis(x, 1, 0), tuple)
    y = F.split_axis(x, 1, 0, force_tuple=False)
    assert isinstance(y, kusari.Variable) and y.shape == (2, 3)
    assert isinstance(F.split_axis(x, 2, 0, force_tuple=False), tuple)


def test_unused_outputs_get_zero_gradient():
    x = kusari.Variable(numpy.zeros((4,), numpy.float32))
    a, b = F.split_axis(x, [1], 0)
    b.grad = numpy.ones(3, numpy.float32)
    b.backward()
    numpy.testing.assert_array_equal(x.grad, [0, 1, 1, 1])


def test_invalid():
    x = numpy.zeros((4, 6), numpy.float32)
    with pytest.raises(InvalidType, match='SplitAxis'):
        F.split_axis(x, 4, 1)
    with pytest.raises(InvalidType, match='SplitAxis'):
        F.split_axis(x, 2, 2)
    with pytest.raises(ValueError, match='split_axis'):
        F.split_axis(x, [3, 1], 1)
    with pytest.raises(ValueError, match='split_axis'):
        F.split_axis(x, 0, 1)
    with pytest.raises(TypeError, match='split_axis'):
        F.split_axis(x, [1.5], 1)
