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


SHAPE = (4, 3, 2)
SLICES = [
    1,
    -1,
    slice(1, 3),
    (slice(None, None, -2), 0),
    Ellipsis,
    (Ellipsis, 1),
    (0, Ellipsis, None),
    (None, 1, slice(None), None),
    numpy.array([0, 2, 2]),                      # duplicates: gradients add up
    [3, 0],                                      # a list of ints is one index array
    (slice(None), numpy.array([[0, 1], [2, 2]])),
    (numpy.array([1, 3]), numpy.array([0, 2]), slice(None)),
    numpy.array([True, False, True, True]),
    (slice(None), numpy.array([True, False, True])),
    numpy.random.RandomState(0).uniform(size=SHAPE) > 0.5,
    (1, 2, 1),                                   # a scalar result
    ([1, 2], Ellipsis, [0, 1]),                  # mixed list: a tuple
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('slices', SLICES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, slices, contiguous):
    x = numpy.random.uniform(-1, 1, SHAPE).astype(dtype)
    y = F.get_item(x if contiguous else _noncontig(x), slices)
    expected = x[tuple(slices) if isinstance(slices, list) and
                 not all(isinstance(s, int) for s in slices) else slices]
    assert isinstance(y.array, numpy.ndarray)
    numpy.testing.assert_array_equal(y.array, expected)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('slices', SLICES)
def test_backward(dtype, slices):
    x = numpy.random.uniform(-1, 1, SHAPE).astype(dtype)
    y_shape = F.get_item(x, slices).shape
    gy = numpy.random.uniform(-1, 1, y_shape).astype(dtype)
    f = lambda x: F.get_item(x, slices)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


def test_duplicate_indices_accumulate():
    x = kusari.Variable(numpy.zeros(3, numpy.float32))
    y = F.get_item(x, [0, 2, 2, 2])
    y.grad = numpy.ones(4, numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [1, 0, 3])


def test_variable_getitem_is_get_item():
    x = kusari.Variable(numpy.arange(6, dtype=numpy.float32).reshape(2, 3))
    numpy.testing.assert_array_equal(x[:, 1].array, F.get_item(x, (slice(None), 1)).array)


@pytest.mark.parametrize('slices', [5, (0, 0, 0, 0), numpy.array([0, 4])])
def test_out_of_range(slices):
    with pytest.raises(InvalidType, match='GetItem'):
        F.get_item(numpy.zeros(SHAPE, numpy.float32), slices)
