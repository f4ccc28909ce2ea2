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


SHAPES = [((3, 1), (1, 4)), ((2, 3), (3,)), ((1,), (2, 1, 3), ()), ((2, 3), (2, 3))]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shapes', SHAPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_broadcast_forward(dtype, shapes, contiguous):
    xs = [numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes]
    ins = xs if contiguous else [_noncontig(x) for x in xs]
    ys = F.broadcast(*ins)
    shape = numpy.broadcast_shapes(*shapes)
    assert isinstance(ys, tuple) and len(ys) == len(xs)
    for x, y in zip(xs, ys):
        assert y.shape == shape and y.dtype == dtype
        numpy.testing.assert_array_equal(y.array, x + numpy.zeros(shape, dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shapes', SHAPES)
def test_broadcast_backward(dtype, shapes):
    xs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    shape = numpy.broadcast_shapes(*shapes)
    gys = tuple(numpy.random.uniform(-1, 1, shape).astype(dtype) for _ in shapes)
    gradient_check.check_backward(F.broadcast, xs, gys, dtype=numpy.float64,
                                  **_tol(dtype))
    ggxs = tuple(numpy.random.uniform(-1, 1, s).astype(dtype) for s in shapes)
    gradient_check.check_double_backward(F.broadcast, xs, gys, ggxs,
                                         dtype=numpy.float64, **_tol(dtype))


def test_broadcast_exact_gradient_and_unused_output():
    a = kusari.Variable(numpy.ones((2, 1), numpy.float32))
    b = kusari.Variable(numpy.ones((3,), numpy.float32))
    ba, bb = F.broadcast(a, b)
    ba.grad = numpy.arange(6, dtype=numpy.float32).reshape(2, 3)
    ba.backward()     # bb gets no gradient
    numpy.testing.assert_array_equal(a.grad, [[3], [12]])
    assert b.grad is None


def test_broadcast_single_and_mixed_dtypes():
    x = numpy.zeros((2,), numpy.float32)
    y = F.broadcast(x)
    assert isinstance(y, kusari.Variable) and y.array is x
    a, b = F.broadcast(x, numpy.zeros((3, 1), numpy.float64))
    assert a.dtype == numpy.float32 and b.dtype == numpy.float64 and a.shape == (3, 2)


def test_broadcast_invalid():
    with pytest.raises(InvalidType, match='Broadcast'):
        F.broadcast(numpy.zeros((2, 3), numpy.float32), numpy.zeros((4,), numpy.float32))


# ---- broadcast_to (from the core) ----------------------------------------------------

@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('in_shape,out_shape', [((3, 1), (2, 3, 4)), ((), (2,)),
                                                ((1, 2), (3, 2))])
def test_broadcast_to(dtype, in_shape, out_shape):
    x = numpy.random.uniform(-1, 1, in_shape).astype(dtype)
    y = F.broadcast_to(_noncontig(x) if x.ndim else x, out_shape)
    numpy.testing.assert_array_equal(y.array, numpy.broadcast_to(x, out_shape))
    gy = numpy.random.uniform(-1, 1, out_shape).astype(dtype)
    ggx = numpy.random.uniform(-1, 1, in_shape).astype(dtype)
    f = lambda x: F.broadcast_to(x, out_shape)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, ggx, dtype=numpy.float64,
                                         **_tol(dtype))


def test_broadcast_to_invalid():
    with pytest.raises(InvalidType, match='BroadcastTo'):
        F.broadcast_to(numpy.zeros((2, 3), numpy.float32), (3, 3))


def test_sum_to_is_reexported():
    x = kusari.Variable(numpy.ones((2, 3), numpy.float32))
    y = F.sum_to(x, (1, 3))
    numpy.testing.assert_array_equal(y.array, [[2, 2, 2]])


@pytest.mark.gpu
def test_broadcast_gpu():
    import cupy
    a = cupy.ones((2, 1), numpy.float32)
    b = cupy.ones((3,), numpy.float32)
    gys = (cupy.ones((2, 3), numpy.float32),) * 2
    gradient_check.check_backward(F.broadcast, (a, b), gys)
