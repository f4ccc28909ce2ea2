import itertools

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-3, rtol=5e-3)
    return dict(atol=1e-5, rtol=1e-4)


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    assert not b.flags.c_contiguous
    return b


def _reference(x, shape, strides, offset):
    flat = x.ravel()
    y = numpy.empty(shape, x.dtype)
    for idx in itertools.product(*[range(n) for n in shape]):
        y[idx] = flat[offset + sum(i * s for i, s in zip(idx, strides))]
    return y


CASES = [
    ((3, 2), (1, 1), 0),          # overlapping windows
    ((2, 3), (3, 1), 0),          # plain reshape
    ((3,), (-2,), 5),             # negative stride
    ((2, 2, 2), (0, 2, 1), 1),    # broadcast axis (stride 0)
    ((0, 3), (1, 1), 2),          # empty output
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,strides,offset', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, shape, strides, offset, contiguous):
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    xin = x if contiguous else _noncontig(x)
    y = F.as_strided(xin, shape, strides, offset)
    assert y.shape == shape and y.dtype == dtype
    numpy.testing.assert_array_equal(y.array, _reference(x, shape, strides, offset))


def test_default_offset_and_doc_example():
    x = kusari.Variable(numpy.arange(4, dtype=numpy.float32))
    y = F.as_strided(x, (3, 2), (1, 1))
    numpy.testing.assert_array_equal(y.array, [[0, 1], [1, 2], [2, 3]])
    y.grad = numpy.ones((3, 2), numpy.float32)
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [1, 2, 2, 1])


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape,strides,offset', CASES[:4])
def test_backward(dtype, shape, strides, offset):
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    gy = numpy.random.uniform(-1, 1, shape).astype(dtype)
    gradient_check.check_backward(
        lambda x: F.as_strided(x, shape, strides, offset), x, gy,
        dtype=numpy.float64, **_tol(dtype))


@pytest.mark.parametrize('dtype', DTYPES)
def test_double_backward(dtype):
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    gy = numpy.random.uniform(-1, 1, (3, 2)).astype(dtype)
    ggx = numpy.random.uniform(-1, 1, (2, 3)).astype(dtype)
    gradient_check.check_double_backward(
        lambda x: F.as_strided(x, (3, 2), (2, -1), 1), x, gy, ggx,
        dtype=numpy.float64, **_tol(dtype))


def test_backward_sums_overlaps_exactly():
    x = kusari.Variable(numpy.zeros((2, 2), numpy.float64))
    y = F.as_strided(x, (2, 2), (0, 1), 1)   # rows [x1, x2] twice
    y.grad = numpy.array([[1., 2.], [3., 4.]])
    y.backward()
    numpy.testing.assert_array_equal(x.grad, [[0, 4], [6, 0]])


@pytest.mark.parametrize('shape,strides,offset', [
    ((3, 2), (1, 1), 4),     # runs past the end
    ((3,), (-1,), 1),        # runs before the start
    ((2,), (1,), 7),         # offset outside
])
def test_out_of_buffer(shape, strides, offset):
    x = numpy.zeros(6, numpy.float32)
    with pytest.raises(ValueError, match='as_strided'):
        F.as_strided(x, shape, strides, offset)


def test_bad_arguments():
    x = numpy.zeros(6, numpy.float32)
    with pytest.raises(ValueError, match='as_strided'):
        F.as_strided(x, (2, 2), (1,), 0)
    with pytest.raises(TypeError, match='as_strided'):
        F.as_strided(x, (2, 2.0), (1, 1), 0)


@pytest.mark.gpu
def test_forward_backward_gpu():
    import cupy
    x = numpy.random.uniform(-1, 1, (2, 3)).astype(numpy.float32)
    gy = numpy.random.uniform(-1, 1, (3, 2)).astype(numpy.float32)
    y = F.as_strided(cupy.asarray(x), (3, 2), (1, 1), 0)
    numpy.testing.assert_array_equal(y.array.get(), _reference(x, (3, 2), (1, 1), 0))
    gradient_check.check_backward(
        lambda x: F.as_strided(x, (3, 2), (2, -1), 1), cupy.asarray(x),
        cupy.asarray(gy), dtype=numpy.float64)
