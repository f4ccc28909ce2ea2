"""The CPU im2col / col2im kernels against a plain NumPy reference.

Covers both column layouts (Chainer's (N, C, kh, kw, oh, ow) and the "cn" layout
(C, kh, kw, N, oh, ow) that the convolutions use), strides, paddings (also wider than
the kernel), dilations, ``cover_all``, 1-D and 2-D inputs and every supported dtype.
"""
import itertools

import numpy
import pytest

from kusari.functions.connection import _conv_kernels
from kusari.functions.connection import _im2col
from kusari import _workspace


def _ref_im2col(x, ksize, stride, pad, dilate, outs):
    # col[n, c, k..., o...] = x[n, c, o * s - p + k * d] (0 outside), as (N, C, *k, *o)
    d = len(ksize)
    n, c = x.shape[:2]
    # generous padding on the high side so that every slice below is in range
    widths = [(0, 0), (0, 0)] + [(p, p + s * o + k * dl)
                                 for p, s, o, k, dl in zip(pad, stride, outs, ksize, dilate)]
    xp = numpy.pad(x, widths)
    col = numpy.zeros((n, c) + tuple(ksize) + tuple(outs), dtype=x.dtype)
    for k in itertools.product(*[range(v) for v in ksize]):
        sl = tuple(slice(k[i] * dilate[i], k[i] * dilate[i] + stride[i] * outs[i], stride[i])
                   for i in range(d))
        col[(slice(None), slice(None)) + k] = xp[(slice(None), slice(None)) + sl]
    return col


def _ref_col2im(col, stride, pad, dims, dilate):
    # the adjoint of _ref_im2col: col is (N, C, *k, *o); sums in float64
    d = len(dims)
    n, c = col.shape[:2]
    ksize = col.shape[2:2 + d]
    outs = col.shape[2 + d:]
    hi = [p + s * o + k * dl for p, s, o, k, dl in zip(pad, stride, outs, ksize, dilate)]
    xp = numpy.zeros((n, c) + tuple(a + p + h for a, p, h in zip(dims, pad, hi)))
    for k in itertools.product(*[range(v) for v in ksize]):
        sl = tuple(slice(k[i] * dilate[i], k[i] * dilate[i] + stride[i] * outs[i], stride[i])
                   for i in range(d))
        xp[(slice(None), slice(None)) + sl] += col[(slice(None), slice(None)) + k]
    crop = tuple(slice(p, p + a) for p, a in zip(pad, dims))
    return xp[(slice(None), slice(None)) + crop]


def _to_cn(col, d):
    # (N, C, *k, *o) -> (C, *k, N, *o)
    perm = (1,) + tuple(range(2, 2 + d)) + (0,) + tuple(range(2 + d, 2 + 2 * d))
    return numpy.ascontiguousarray(col.transpose(perm))


# (dims, ksize, stride, pad, dilate, cover_all)
_GEOMETRIES_2D = [
    ((12, 12), (5, 5), (1, 1), (0, 0), (1, 1), False),    # LeNet c2
    ((28, 28), (5, 5), (1, 1), (0, 0), (1, 1), False),    # LeNet c1
    ((9, 13), (3, 3), (1, 1), (1, 1), (1, 1), False),     # "same" padding
    ((10, 11), (3, 2), (2, 3), (1, 2), (1, 1), False),    # strides > 1, asymmetric
    ((7, 9), (2, 3), (1, 1), (3, 4), (1, 1), False),      # padding wider than kernel
    ((6, 5), (3, 3), (3, 2), (4, 5), (1, 1), True),       # ... with strides, cover_all
    ((15, 17), (3, 3), (1, 2), (2, 2), (2, 3), False),    # dilation
    ((9, 40), (3, 3), (2, 3), (1, 2), (1, 1), False),     # stride 3, long rows
    ((8, 20), (3, 4), (2, 1), (0, 3), (3, 2), True),
    ((12, 12), (1, 1), (1, 1), (0, 0), (1, 1), False),    # 1x1: whole-plane copies
    ((3, 140), (1, 3), (1, 1), (0, 1), (1, 1), False),    # rows longer than 128
    ((5, 6), (6, 7), (1, 1), (0, 0), (1, 1), False),      # kernel larger than input
    ((4, 4), (2, 2), (5, 5), (2, 2), (1, 1), True),
]


@pytest.mark.parametrize('cn', [False, True])
@pytest.mark.parametrize('geom', _GEOMETRIES_2D)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_im2col_2d(geom, cn, dtype):
    dims, ksize, stride, pad, dilate, cover_all = geom
    rng = numpy.random.default_rng(0)
    x = rng.standard_normal((3, 2) + dims).astype(dtype)
    outs = _im2col.out_dims(dims, ksize, stride, pad, cover_all, dilate)
    col = _im2col.im2col(x, ksize, stride, pad, cover_all, dilate, cn=cn)
    expect = _ref_im2col(x, ksize, stride, pad, dilate, outs)
    if cn:
        expect = _to_cn(expect, 2)
    assert col.dtype == dtype
    assert col.shape == expect.shape
    numpy.testing.assert_array_equal(col, expect)


@pytest.mark.parametrize('cn', [False, True])
@pytest.mark.parametrize('geom', _GEOMETRIES_2D)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_col2im_2d(geom, cn, dtype):
    dims, ksize, stride, pad, dilate, cover_all = geom
    rng = numpy.random.default_rng(1)
    outs = _im2col.out_dims(dims, ksize, stride, pad, cover_all, dilate)
    col = rng.standard_normal((3, 2) + ksize + outs).astype(dtype)
    expect = _ref_col2im(col.astype(numpy.float64), stride, pad, dims, dilate)
    arg = _to_cn(col, 2) if cn else col
    x = _im2col.col2im(arg, stride, pad, dims, dilate, cn=cn)
    assert x.dtype == dtype
    assert x.shape == (3, 2) + dims
    tol = {numpy.float16: 1e-2, numpy.float32: 1e-5, numpy.float64: 1e-12}[dtype]
    numpy.testing.assert_allclose(x, expect, rtol=tol, atol=tol)


@pytest.mark.parametrize('cn', [False, True])
@pytest.mark.parametrize('geom', [
    ((13,), (3,), (1,), (0,), (1,), False),
    ((20,), (4,), (3,), (5,), (2,), True),
    ((9,), (2,), (1,), (3,), (1,), False),
])
def test_1d(geom, cn):
    dims, ksize, stride, pad, dilate, cover_all = geom
    rng = numpy.random.default_rng(2)
    x = rng.standard_normal((4, 3) + dims).astype(numpy.float32)
    outs = _im2col.out_dims(dims, ksize, stride, pad, cover_all, dilate)
    col = _im2col.im2col(x, ksize, stride, pad, cover_all, dilate, cn=cn)
    expect = _ref_im2col(x, ksize, stride, pad, dilate, outs)
    numpy.testing.assert_array_equal(col, _to_cn(expect, 1) if cn else expect)
    g = rng.standard_normal(expect.shape).astype(numpy.float32)
    gx = _im2col.col2im(_to_cn(g, 1) if cn else g, stride, pad, dims, dilate, cn=cn)
    numpy.testing.assert_allclose(gx, _ref_col2im(g.astype(numpy.float64), stride, pad,
                                                  dims, dilate), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('cn', [False, True])
def test_im2col_overwrites_reused_buffer(cn):
    # im2col fills every element of a (maybe reused, stale) workspace buffer
    x = numpy.random.default_rng(3).standard_normal((16, 4, 10, 10)).astype(numpy.float32)
    args = ((3, 3), (2, 2), (3, 3), True, (1, 1))
    col = _im2col.im2col(x, *args, cn=cn)
    expect = col.copy()
    col.fill(numpy.nan)
    del col
    col = _im2col.im2col(x, *args, cn=cn)
    assert col.nbytes >= _workspace.MIN_BYTES
    numpy.testing.assert_array_equal(col, expect)


def test_batch_larger_than_tile():
    # enough images for the cn kernels to split the batch into several tiles
    rng = numpy.random.default_rng(4)
    x = rng.standard_normal((37, 2, 11, 9))
    col = _im2col.im2col(x, (3, 3), (1, 1), (1, 1), False, (1, 1), cn=True)
    expect = _ref_im2col(x, (3, 3), (1, 1), (1, 1), (1, 1), (11, 9))
    numpy.testing.assert_array_equal(col, _to_cn(expect, 2))
    g = rng.standard_normal(col.shape)
    gx = _im2col.col2im(g, (1, 1), (1, 1), (11, 9), (1, 1), cn=True)
    ref = _ref_col2im(g.transpose(3, 0, 1, 2, 4, 5), (1, 1), (1, 1), (11, 9), (1, 1))
    numpy.testing.assert_allclose(gx, ref, rtol=1e-12, atol=1e-12)


def test_kernels_reject_bad_arguments():
    x = numpy.zeros((2, 3, 5, 5), numpy.float32)
    col = numpy.zeros((2, 3, 2, 2, 4, 4), numpy.float32)
    with pytest.raises(ValueError):
        _conv_kernels.im2col_2d(x, col, 0, 1, 0, 0, 1, 1)
    with pytest.raises(ValueError):
        _conv_kernels.col2im_2d(col, x, 1, 0, 0, 0, 1, 1)
    with pytest.raises(ValueError):
        _conv_kernels.im2col_2d(x, col[:1], 1, 1, 0, 0, 1, 1)
    with pytest.raises(ValueError):
        _conv_kernels.col2im_2d(col[:, :2], x, 1, 1, 0, 0, 1, 1)
    # (oh, ow) blocks must be contiguous
    with pytest.raises(ValueError):
        _conv_kernels.im2col_2d(x, col.transpose(0, 1, 2, 3, 5, 4), 1, 1, 0, 0, 1, 1)
    with pytest.raises(ValueError):
        _conv_kernels.col2im_2d(col[..., ::2], x, 1, 1, 0, 0, 1, 1)
    # so must the (h, w) planes of x
    xw = numpy.zeros((2, 3, 10, 5), numpy.float32)[:, :, ::2]
    with pytest.raises(ValueError):
        _conv_kernels.im2col_2d(xw, col, 1, 1, 0, 0, 1, 1)
    with pytest.raises(ValueError):
        _conv_kernels.col2im_2d(col, xw, 1, 1, 0, 0, 1, 1)
