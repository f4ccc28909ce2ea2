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


@pytest.mark.parametrize('in_dtype', DTYPES)
@pytest.mark.parametrize('out_dtype', DTYPES + ['float32', numpy.int32])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(in_dtype, out_dtype, contiguous):
    x = numpy.random.uniform(-3, 3, (3, 4)).astype(in_dtype)
    y = F.cast(x if contiguous else _noncontig(x), out_dtype)
    assert y.dtype == numpy.dtype(out_dtype)
    numpy.testing.assert_array_equal(y.array, x.astype(out_dtype))


@pytest.mark.parametrize('in_dtype', DTYPES)
@pytest.mark.parametrize('out_dtype', DTYPES)
def test_backward(in_dtype, out_dtype):
    x = numpy.random.uniform(-1, 1, (3, 4)).astype(in_dtype)
    gy = numpy.random.uniform(-1, 1, (3, 4)).astype(out_dtype)
    ggx = numpy.random.uniform(-1, 1, (3, 4)).astype(in_dtype)
    # The output dtype is fixed, so the check cannot evaluate in float64; a linear
    # function allows a large step instead.
    low = numpy.float16 in (in_dtype, out_dtype)
    tol = dict(eps=0.25, atol=2e-2, rtol=2e-2) if low else dict(atol=1e-4, rtol=1e-3)
    f = lambda x: F.cast(x, out_dtype)  # noqa: E731
    gradient_check.check_backward(f, x, gy, **tol)
    gradient_check.check_double_backward(f, x, gy, ggx, **tol)


def test_gradient_dtype():
    x = kusari.Variable(numpy.ones(3, numpy.float16))
    y = F.cast(x, numpy.float64)
    y.grad = numpy.array([1., 2., 3.])
    y.backward()
    assert x.grad.dtype == numpy.float16
    numpy.testing.assert_array_equal(x.grad, [1, 2, 3])


def test_same_dtype_without_backprop_returns_input():
    x = numpy.ones(3, numpy.float32)
    with kusari.no_backprop_mode():
        y = F.cast(x, numpy.float32)
    assert y.array is x
    y = F.cast(kusari.Variable(x), numpy.float32)
    assert type(y.creator).__name__ == 'Cast'


@pytest.mark.parametrize('src, dst', [(numpy.int32, numpy.int64), (numpy.int32, numpy.float32),
                                      (numpy.float32, numpy.int8), (numpy.uint8, numpy.float64),
                                      (numpy.int64, numpy.uint8)])
def test_non_float_dtypes(src, dst):
    # Chainer casts any dtype (argmax's int32 to int64, say); only floats get gradients
    x = numpy.array([0, 1, 2, 100], src)
    y = F.cast(x, dst)
    assert y.dtype == dst
    numpy.testing.assert_array_equal(y.array, x.astype(dst))
    v = kusari.Variable(numpy.array([0.5, 1.5], numpy.float32))
    out = F.cast(v, numpy.int32)
    assert out.dtype == numpy.int32


def test_no_gradient_through_an_int_cast():
    v = kusari.Variable(numpy.array([0.5, 1.5], numpy.float32))
    y = F.cast(F.cast(v, numpy.int32), numpy.float32) * 2
    y.grad = numpy.ones(2, numpy.float32)
    y.backward()
    assert v.grad is None
