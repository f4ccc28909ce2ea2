"""The activation kernels' operand checks (NumPy's C API) and the relu/tanh forward
kernels: NumPy's results where they apply, ``None`` (the NumPy fallback) elsewhere."""
import numpy
import pytest

import kusari
import kusari.functions as F
from kusari.functions.activation import _kernels

DTYPES = [numpy.float32, numpy.float64]
SPECIAL = [numpy.nan, numpy.inf, -numpy.inf, -0.0, 0.0, 1e-40, -1e-40, 3.0, -3.0, 20.0]


def _x(shape, dtype, seed=0):
    return numpy.random.default_rng(seed).uniform(-4, 4, shape).astype(dtype)


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(), (0,), (7,), (3, 5), (2, 3, 4)])
def test_relu_forward_is_numpy_maximum(shape, dtype):
    x = _x(shape, dtype)
    y = _kernels.relu_forward(x)
    numpy.testing.assert_array_equal(y, numpy.maximum(x, dtype(0)), strict=True)


@pytest.mark.parametrize('dtype', DTYPES)
def test_relu_forward_special_values(dtype):
    x = numpy.array(SPECIAL, dtype)
    y = _kernels.relu_forward(x)
    ref = numpy.maximum(x, dtype(0))
    numpy.testing.assert_array_equal(y, ref, strict=True)
    # the sign of zero as numpy.maximum gives it
    assert numpy.array_equal(numpy.signbit(y), numpy.signbit(ref))


def test_relu_forward_into_out():
    x = _x((4, 6), numpy.float32)
    out = numpy.empty_like(x)
    assert _kernels.relu_forward(x, out) is out
    numpy.testing.assert_array_equal(out, numpy.maximum(x, 0))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('n', [0, 1, 7, 8, 33, 1000])
def test_tanh_forward_against_float64(n, dtype):
    x = numpy.concatenate([_x((n,), dtype), numpy.array(SPECIAL, dtype)])
    y = _kernels.tanh_forward(x)
    ref = numpy.tanh(x.astype(numpy.float64))
    assert y.dtype == dtype and y.shape == x.shape
    if dtype == numpy.float32:
        # the SIMD float32 tanh of _vecmath.h: within a few float32 ulps
        numpy.testing.assert_allclose(y, ref, rtol=4e-7, atol=1e-7)
    else:
        numpy.testing.assert_allclose(y, ref, rtol=1e-15, atol=0)
    assert numpy.isnan(y[n])   # NaN in, NaN out


@pytest.mark.parametrize('bad', [
    numpy.ones(5, numpy.float16), numpy.ones(5, numpy.int32),
    numpy.ones((4, 4), numpy.float32)[:, ::2], numpy.ones(5, numpy.dtype('>f4')),
    numpy.ma.ones(5, numpy.float32), [1.0, 2.0],
])
def test_kernels_leave_other_operands_to_numpy(bad):
    assert _kernels.relu_forward(bad) is None
    assert _kernels.tanh_forward(bad) is None


def test_shape_mismatch_is_left_to_numpy():
    # same number of elements but different shapes: not an elementwise pair
    y = numpy.ones((2, 3), numpy.float32)
    assert _kernels.relu_grad(y, numpy.ones((3, 2), numpy.float32)) is None
    assert _kernels.tanh_grad(y, numpy.ones(6, numpy.float32)) is None
    assert _kernels.relu_grad(y, y.astype(numpy.float64)) is None
    out = numpy.empty((3, 2), numpy.float32)
    assert _kernels.relu_forward(y, out) is None
    ro = numpy.empty((2, 3), numpy.float32)
    ro.flags.writeable = False
    assert _kernels.relu_forward(y, ro) is None


@pytest.mark.parametrize('fn,ref', [(F.relu, lambda a: numpy.maximum(a, 0)),
                                    (F.tanh, numpy.tanh)])
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_functions_on_kernel_and_fallback_layouts(fn, ref, dtype):
    base = _x((6, 8), dtype)
    for a in (base, base[:, ::2], numpy.asfortranarray(base)):
        x = kusari.Variable(a)
        y = fn(x)
        numpy.testing.assert_allclose(y.array, ref(a), rtol=2e-3 if dtype == numpy.float16
                                      else 1e-6)
        y.grad = numpy.ones_like(y.array)
        y.backward()
        assert x.grad.shape == a.shape


@pytest.mark.parametrize('dtype', DTYPES)
def test_relu_on_large_arrays_into_pooled_buffers(dtype):
    # large inputs go to the same kernel, writing into a pooled buffer
    x = _x((300, 300), dtype, seed=7)
    x[0, :4] = [numpy.nan, -0.0, numpy.inf, -numpy.inf]
    for _ in range(2):
        y = F.relu(x).array
        numpy.testing.assert_array_equal(y, numpy.maximum(x, dtype(0)), strict=True)
