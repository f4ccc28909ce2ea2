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


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


def _reference(x, ksize, stride, pad, cover_all, dilate):
    kh, kw = _pair(ksize)
    sy, sx = _pair(stride)
    ph, pw = _pair(pad)
    dy, dx = _pair(dilate)
    n, c, h, w = x.shape
    ekh, ekw = (kh - 1) * dy + 1, (kw - 1) * dx + 1
    if cover_all:
        oh = (h + 2 * ph - ekh + sy - 1) // sy + 1
        ow = (w + 2 * pw - ekw + sx - 1) // sx + 1
    else:
        oh = (h + 2 * ph - ekh) // sy + 1
        ow = (w + 2 * pw - ekw) // sx + 1
    y = numpy.zeros((n, c * kh * kw, oh, ow), x.dtype)
    for ci in range(c):
        for j in range(kh):
            for i in range(kw):
                for oy in range(oh):
                    for ox in range(ow):
                        yy = oy * sy - ph + j * dy
                        xx = ox * sx - pw + i * dx
                        if 0 <= yy < h and 0 <= xx < w:
                            y[:, (ci * kh + j) * kw + i, oy, ox] = x[:, ci, yy, xx]
    return y


CASES = [
    (2, 1, 0, False, 1),
    (3, 1, 1, False, 1),
    ((2, 3), (2, 1), (1, 0), False, 1),
    (2, 2, 0, True, 1),
    (3, 2, 1, True, 1),
    (2, 1, 1, False, (2, 1)),
    (1, 1, 0, False, 1),
]


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('ksize,stride,pad,cover_all,dilate', CASES)
@pytest.mark.parametrize('contiguous', [True, False])
def test_forward(dtype, ksize, stride, pad, cover_all, dilate, contiguous):
    x = numpy.random.uniform(-1, 1, (2, 2, 5, 4)).astype(dtype)
    y = F.im2col(x if contiguous else _noncontig(x), ksize, stride, pad, cover_all,
                 dilate)
    numpy.testing.assert_array_equal(
        y.array, _reference(x, ksize, stride, pad, cover_all, dilate))


@pytest.mark.parametrize('dtype', DTYPES)
@pytest.mark.parametrize('ksize,stride,pad,cover_all,dilate', CASES)
def test_backward(dtype, ksize, stride, pad, cover_all, dilate):
    x = numpy.random.uniform(-1, 1, (1, 2, 5, 4)).astype(dtype)
    y_shape = _reference(x, ksize, stride, pad, cover_all, dilate).shape
    gy = numpy.random.uniform(-1, 1, y_shape).astype(dtype)
    f = lambda x: F.im2col(x, ksize, stride, pad, cover_all, dilate)  # noqa: E731
    gradient_check.check_backward(f, x, gy, dtype=numpy.float64, **_tol(dtype))
    gradient_check.check_double_backward(f, x, gy, x, dtype=numpy.float64,
                                         **_tol(dtype))


def test_invalid_input():
    with pytest.raises(InvalidType, match='Im2Col'):
        F.im2col(numpy.zeros((2, 5, 4), numpy.float32), 2)
    with pytest.raises(InvalidType, match='Im2Col'):
        F.im2col(numpy.zeros((1, 2, 5, 4), numpy.int32), 2)
    with pytest.raises(InvalidType, match='Im2Col'):
        F.im2col(numpy.zeros((1, 2, 2, 2), numpy.float32), 3)


def test_invalid_arguments():
    x = numpy.zeros((1, 1, 4, 4), numpy.float32)
    with pytest.raises(ValueError, match='im2col'):
        F.im2col(x, 2, stride=0)
    with pytest.raises(ValueError, match='im2col'):
        F.im2col(x, 2, pad=-1)
    with pytest.raises(TypeError, match='im2col'):
        F.im2col(x, (2, 2, 2))
