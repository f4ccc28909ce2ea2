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


SLICES = [
    1,
    (slice(None), 2),
    (Ellipsis, slice(0, 2)),
    [0, 2, 2],                                   # repeated rows add up
    (numpy.array([0, 1, 1]), numpy.array([3, 0, 0])),
    numpy.array([[True, False, True, False], [False] * 4, [True] * 4]),
    (None, 0),
    [True, False, True],                         # a list of bools is one mask
]


def _reference(a, slices, b):
    y = a.astype(numpy.float64)
    idx = numpy.zeros(a.shape, numpy.intp)
    idx.ravel()[:] = numpy.arange(a.size)
    if isinstance(slices, list):
        slices = numpy.asarray(slices) if all(isinstance(s, int) for s in slices) \
            else tuple(slices)
    sel = idx[slices]
    for k, v in zip(sel.ravel(), b.astype(numpy.float64).ravel()):
        y.ravel()[k] += v
    return y.astype(a.dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('slices', SLICES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, slices, contiguous):
    a = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    b = numpy.random.uniform(-1, 1, F.get_item(a, slices).shape).astype(dtype)
    a0 = a.copy()
    y = F.scatter_add(a if contiguous else _noncontig(a), slices,
                      b if contiguous or not b.ndim else _noncontig(b))
    tol = dict(atol=2e-3) if dtype == numpy.float16 else dict(atol=1e-6)
    numpy.testing.assert_allclose(y.array, _reference(a, slices, b), **tol)
    numpy.testing.assert_array_equal(a, a0)    # a is not changed


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('slices', SLICES)
def test_backward(dtype, slices):
    a = numpy.random.uniform(-1, 1, (3, 4)).astype(dtype)
    b = numpy.random.uniform(-1, 1, F.get_item(a, slices).shape).astype(dtype)
    gy = numpy.random.uniform(-1, 1, a.shape).astype(dtype)
    f = lambda a, b: F.scatter_add(a, slices, b)  # noqa: E731
    gradient_check.check_backward(f, (a, b), gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, (a, b), gy, (a, b), dtype=numpy.float64,
                                         **_tol(dtype))


def test_invalid():
    a = numpy.zeros((3, 4), numpy.float32)
    with pytest.raises(ValueError, match='scatter_add'):
        F.scatter_add(a, 0, numpy.zeros(3, numpy.float32))
    with pytest.raises(InvalidType, match='ScatterAdd'):
        F.scatter_add(a, 0, numpy.zeros(4, numpy.float64))
    with pytest.raises(InvalidType, match='ScatterAdd'):
        F.scatter_add(a, 5, numpy.zeros(4, numpy.float32))
    with pytest.raises(InvalidType, match='ScatterAdd'):
        F.scatter_add(a, (0, 0, 0), numpy.zeros((), numpy.float32))
