"""bias, scale, linear_interpolate, batch_l2_norm_squared."""
import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _tol(dtype):
    if dtype == numpy.float16:
        return dict(atol=5e-3, rtol=5e-2)
    return dict(atol=1e-4, rtol=1e-3)


def _u(shape, dtype, seed, contiguous=True):
    x = numpy.random.RandomState(seed).uniform(-1, 1, shape).astype(dtype)
    return x if contiguous else numpy.asfortranarray(x)


def _checks(f, inputs, dtype):
    y = f(*inputs)
    gy = _u(y.shape, dtype, 10)
    gradient_check.check_backward(f, inputs, gy, dtype=numpy.float64, **_tol(dtype))
    ggx = tuple(_u(x.shape, dtype, 11 + i) for i, x in enumerate(inputs))
    gradient_check.check_double_backward(f, inputs, gy, ggx, dtype=numpy.float64,
                                         **_tol(dtype))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('name', ['bias', 'scale'])
@pytest.mark.parametrize('xshape, yshape, axis', [
    ((2, 3, 4), (3,), 1), ((2, 3, 4), (3, 4), 1), ((2, 3, 4), (2,), 0),
    ((2, 3, 4), (4,), 2), ((2, 3), (2, 3), 0)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_bias_scale(dtype, name, xshape, yshape, axis, contiguous):
    f = getattr(F, name)
    x, y = _u(xshape, dtype, 0, contiguous), _u(yshape, dtype, 1, contiguous)
    out = f(x, y, axis)
    yb = y.reshape((1,) * axis + yshape + (1,) * (len(xshape) - axis - len(yshape)))
    expect = x + yb if name == 'bias' else x * yb
    assert out.dtype == dtype
    numpy.testing.assert_allclose(out.array, expect, **_tol(dtype))
    _checks(lambda x, y: f(x, y, axis), (x, y), dtype)


def test_bias_scale_bad_input():
    x = numpy.zeros((2, 3), numpy.float32)
    for f, label in ((F.bias, 'bias'), (F.scale, 'scale')):
        with pytest.raises(InvalidType, match=label):
            f(x, numpy.zeros(2, numpy.float32))
        with pytest.raises(InvalidType, match=label):
            f(x, numpy.zeros(3, numpy.float64))
        with pytest.raises(InvalidType, match=label):
            f(x, numpy.zeros((3, 1), numpy.float32))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_linear_interpolate(dtype, contiguous):
    p, x, y = (_u((2, 3), dtype, i, contiguous) for i in range(3))
    out = F.linear_interpolate(p, x, y)
    assert out.dtype == dtype
    p64, x64, y64 = (a.astype(numpy.float64) for a in (p, x, y))
    numpy.testing.assert_allclose(out.array.astype(numpy.float64),
                                  p64 * x64 + (1 - p64) * y64, **_tol(dtype))
    _checks(F.linear_interpolate, (p, x, y), dtype)


def test_linear_interpolate_bad_input():
    a = numpy.zeros((2, 3), numpy.float32)
    with pytest.raises(InvalidType, match='LinearInterpolate'):
        F.linear_interpolate(a, a, numpy.zeros((3, 2), numpy.float32))
    with pytest.raises(InvalidType, match='LinearInterpolate'):
        F.linear_interpolate(a, a, a.astype(numpy.float64))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('shape', [(3, 2), (2, 3, 4)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_batch_l2_norm_squared(dtype, shape, contiguous):
    x = _u(shape, dtype, 0, contiguous)
    y = F.batch_l2_norm_squared(x)
    assert y.dtype == dtype and y.shape == (shape[0],)
    x64 = x.astype(numpy.float64).reshape(shape[0], -1)
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), (x64 ** 2).sum(1),
                                  **_tol(dtype))
    _checks(F.batch_l2_norm_squared, (x,), dtype)


def test_batch_l2_norm_squared_bad_input():
    with pytest.raises(InvalidType, match='BatchL2NormSquared'):
        F.batch_l2_norm_squared(numpy.zeros(3, numpy.float32))
    with pytest.raises(InvalidType, match='BatchL2NormSquared'):
        F.batch_l2_norm_squared(numpy.zeros((3, 2), numpy.int32))


@pytest.mark.gpu
def test_misc_gpu():
    import cupy
    x, y = _u((2, 3), numpy.float32, 0), _u((3,), numpy.float32, 1)
    out = F.scale(cupy.asarray(x), cupy.asarray(y))
    numpy.testing.assert_allclose(cupy.asnumpy(out.array), x * y, rtol=1e-6)
    gradient_check.check_backward(F.batch_l2_norm_squared, cupy.asarray(x),
                                  cupy.asarray(y[:2]), dtype=numpy.float64, atol=1e-4,
                                  rtol=1e-3)


@pytest.mark.parametrize('name', ['bias', 'scale'])
def test_bias_scale_shape_mismatch_is_also_an_assertion_error(name):
    # Chainer asserts the shapes: code catching AssertionError keeps working
    from kusari.utils.type_check import InvalidType
    with pytest.raises(AssertionError, match=name) as e:
        getattr(F, name)(numpy.zeros((3, 2, 3), numpy.float32),
                         numpy.zeros(2, numpy.float32), 0)
    assert isinstance(e.value, InvalidType)
