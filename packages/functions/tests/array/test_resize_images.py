import math

import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType

DTYPES = [numpy.float16, numpy.float32, numpy.float64]


def _noncontig(a):
    b = numpy.empty(a.shape + (2,), a.dtype)[..., 0]
    b[...] = a
    return b


def _source(i, in_size, out_size, mode, align_corners):
    """Source coordinate of output index i (scalar, float64)."""
    if mode == 'nearest':
        return float(min(math.floor(i * in_size / out_size), in_size - 1))
    if align_corners:
        return 0.0 if out_size == 1 else i * (in_size - 1) / (out_size - 1)
    return max((i + 0.5) * in_size / out_size - 0.5, 0.0)


def _reference(x, out_shape, mode, align_corners):
    n, c, h, w = x.shape
    oh, ow = out_shape
    xd = x.astype(numpy.float64)
    y = numpy.zeros((n, c, oh, ow))
    for i in range(oh):
        sv = _source(i, h, oh, mode, align_corners)
        v0 = int(math.floor(sv))
        v1 = min(v0 + 1, h - 1)
        a = sv - v0
        for j in range(ow):
            su = _source(j, w, ow, mode, align_corners)
            u0 = int(math.floor(su))
            u1 = min(u0 + 1, w - 1)
            b = su - u0
            y[:, :, i, j] = ((1 - a) * (1 - b) * xd[:, :, v0, u0]
                             + (1 - a) * b * xd[:, :, v0, u1]
                             + a * (1 - b) * xd[:, :, v1, u0]
                             + a * b * xd[:, :, v1, u1])
    return y


CASES = [((3, 4), (5, 7)), ((4, 4), (2, 3)), ((3, 2), (3, 2)), ((2, 3), (1, 1)),
         ((1, 1), (3, 2))]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('in_hw,out_hw', CASES)
@pytest.mark.parametrize('mode,align_corners', [('bilinear', True),
                                                ('bilinear', False),
                                                ('nearest', True)])
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, in_hw, out_hw, mode, align_corners, contiguous):
    x = numpy.random.uniform(-1, 1, (2, 2) + in_hw).astype(dtype)
    y = F.resize_images(x if contiguous else _noncontig(x), out_hw, mode=mode,
                        align_corners=align_corners)
    assert y.shape == (2, 2) + out_hw and y.dtype == dtype
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else dict(atol=1e-6)
    numpy.testing.assert_allclose(y.array, _reference(x, out_hw, mode, align_corners),
                                  **tol)


def test_default_is_bilinear_align_corners():
    x = numpy.random.uniform(-1, 1, (1, 1, 3, 3)).astype(numpy.float64)
    numpy.testing.assert_allclose(F.resize_images(x, (5, 4)).array,
                                  _reference(x, (5, 4), 'bilinear', True))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('in_hw,out_hw', CASES[:3])
@pytest.mark.parametrize('mode,align_corners', [('bilinear', True),
                                                ('bilinear', False),
                                                ('nearest', False)])
def test_backward(dtype, in_hw, out_hw, mode, align_corners):
    x = numpy.random.uniform(-1, 1, (1, 2) + in_hw).astype(dtype)
    gy = numpy.random.uniform(-1, 1, (1, 2) + out_hw).astype(dtype)
    tol = dict(atol=5e-3, rtol=5e-3) if dtype == numpy.float16 else {}
    f = lambda x: F.resize_images(  # noqa: E731
        x, out_hw, mode=mode, align_corners=align_corners)
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **tol)
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64, **tol)


def test_invalid():
    with pytest.raises(InvalidType, match='ResizeImages'):
        F.resize_images(numpy.zeros((2, 3, 3), numpy.float32), (2, 2))
    with pytest.raises(InvalidType, match='ResizeImages'):
        F.resize_images(numpy.zeros((1, 1, 3, 3), numpy.int32), (2, 2))
    with pytest.raises(ValueError, match='resize_images'):
        F.resize_images(numpy.zeros((1, 1, 3, 3), numpy.float32), (2, 2), mode='cubic')
    with pytest.raises(ValueError, match='resize_images'):
        F.resize_images(numpy.zeros((1, 1, 3, 3), numpy.float32), (0, 2))
