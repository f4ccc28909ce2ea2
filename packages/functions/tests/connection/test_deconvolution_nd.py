import itertools

import numpy
import pytest

import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def ref_deconv(x, W, b, stride, pad, dilate, groups, outsize):
    # Scatter every input element through the filter, then crop the padding.
    x = x.astype(numpy.float64)
    W = W.astype(numpy.float64)
    n, c = x.shape[:2]
    nd = x.ndim - 2
    ks = W.shape[2:]
    ocg = W.shape[1]
    oc = ocg * groups
    cg = c // groups
    big = tuple(outsize[i] + 2 * pad[i] + stride[i] + (ks[i] - 1) * dilate[i]
                for i in range(nd))
    y = numpy.zeros((n, oc) + big)
    for i in itertools.product(*[range(v) for v in x.shape[2:]]):
        for k in itertools.product(*[range(v) for v in ks]):
            pos = tuple(i[j] * stride[j] + k[j] * dilate[j] for j in range(nd))
            for g in range(groups):
                xs = x[(slice(None), slice(g * cg, (g + 1) * cg)) + i]
                y[(slice(None), slice(g * ocg, (g + 1) * ocg)) + pos] += \
                    xs @ W[(slice(g * cg, (g + 1) * cg), slice(None)) + k]
    crop = tuple(slice(pad[j], pad[j] + outsize[j]) for j in range(nd))
    y = y[(slice(None), slice(None)) + crop]
    if b is not None:
        y = y + b.reshape((1, oc) + (1,) * nd)
    return y


CASES = [
    # nd, in dims, ksize, stride, pad, dilate, groups, outsize
    (1, (4,), (3,), (2,), (1,), (1,), 1, None),
    (2, (3, 4), (3, 2), (1, 2), (1, 0), (1, 1), 1, None),
    (2, (3, 3), (2, 3), (2, 1), (1, 1), (2, 1), 2, (6, 3)),      # cover_all-consistent size
    (2, (3, 2), (3, 3), (2, 2), (0, 0), (1, 1), 1, (6, 6)),      # needs cover_all in H
    (3, (2, 3, 2), (2, 2, 3), (1, 2, 1), (1, 0, 1), (1, 1, 1), 1, None),
]


def _default_out(case):
    nd, dims, ks, s, p, d, g, outsize = case
    if outsize is not None:
        return outsize
    return tuple(s[i] * (dims[i] - 1) + (ks[i] - 1) * d[i] + 1 - 2 * p[i] for i in range(nd))


def _make(case, dtype, seed=0):
    nd, dims, ks, s, p, d, g, outsize = case
    rng = numpy.random.RandomState(seed)
    c, oc = 2 * g, 3 * g
    x = rng.uniform(-1, 1, (2, c) + dims).astype(dtype)
    W = rng.uniform(-1, 1, (c, oc // g) + ks).astype(dtype)
    b = rng.uniform(-1, 1, oc).astype(dtype)
    return x, W, b


def _call(case, x, W, b):
    nd, dims, ks, s, p, d, g, outsize = case
    if nd == 2:
        return F.deconvolution_2d(x, W, b, s, p, outsize, dilate=d, groups=g)
    return F.deconvolution_nd(x, W, b, s, p, outsize, d, g)


@pytest.mark.parametrize('case', CASES)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(case, dtype):
    x, W, b = _make(case, dtype)
    y = _call(case, x, W, b)
    nd, dims, ks, s, p, d, g, outsize = case
    ref = ref_deconv(x, W, b, s, p, d, g, _default_out(case))
    assert y.dtype == dtype and y.shape == ref.shape
    tol = 5e-2 if dtype == numpy.float16 else 1e-5
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, atol=tol, rtol=tol)


@pytest.mark.parametrize('case', CASES)
def test_forward_noncontiguous_nobias(case):
    x, W, _ = _make(case, numpy.float32)
    nd, dims, ks, s, p, d, g, outsize = case
    y = _call(case, numpy.asfortranarray(x), numpy.asfortranarray(W), None)
    numpy.testing.assert_allclose(y.array, ref_deconv(x, W, None, s, p, d, g,
                                                      _default_out(case)), atol=1e-5)


@pytest.mark.parametrize('case', CASES)
def test_backward(case):
    x, W, b = _make(case, numpy.float64)
    gy = numpy.random.RandomState(1).uniform(-1, 1, _call(case, x, W, b).shape)
    gradient_check.check_backward(lambda *a: _call(case, *a), (x, W, b), gy,
                                  atol=1e-6, rtol=1e-5)


def test_backward_float16():
    case = CASES[1]
    x, W, b = _make(case, numpy.float16)
    gy = numpy.random.RandomState(1).uniform(-1, 1, _call(case, x, W, b).shape)
    gradient_check.check_backward(lambda *a: _call(case, *a), (x, W, b),
                                  gy.astype(numpy.float16), dtype=numpy.float64,
                                  eps=2 ** -3, atol=5e-2, rtol=5e-2)


@pytest.mark.parametrize('case', CASES[1:])
def test_double_backward(case):
    x, W, b = _make(case, numpy.float64)
    rng = numpy.random.RandomState(2)
    gy = rng.uniform(-1, 1, _call(case, x, W, b).shape)
    gg = tuple(rng.uniform(-1, 1, a.shape) for a in (x, W, b))
    gradient_check.check_double_backward(lambda *a: _call(case, *a), (x, W, b), gy, gg,
                                         atol=1e-5, rtol=1e-4)


def test_wrappers_1d_3d():
    x = numpy.ones((1, 2, 3), numpy.float32)
    W = numpy.ones((2, 1, 2), numpy.float32)
    numpy.testing.assert_allclose(F.deconvolution_1d(x, W, stride=2).array,
                                  ref_deconv(x, W, None, (2,), (0,), (1,), 1, (6,)))
    x3 = numpy.ones((1, 1, 2, 2, 2), numpy.float32)
    W3 = numpy.ones((1, 1, 2, 2, 2), numpy.float32)
    assert F.deconvolution_3d(x3, W3).shape == (1, 1, 3, 3, 3)
    with pytest.raises(ValueError, match='deconvolution'):
        F.deconvolution_3d(x, W)


def test_invalid_inputs():
    x = numpy.zeros((1, 2, 3, 3), numpy.float32)
    W = numpy.zeros((2, 1, 2, 2), numpy.float32)
    with pytest.raises(InvalidType, match='Deconvolution2DFunction'):
        F.deconvolution_2d(x, W[:1])
    with pytest.raises(InvalidType, match='Deconvolution2DFunction'):
        F.deconvolution_2d(x, W, outsize=(9, 9))
    with pytest.raises(InvalidType, match='Deconvolution2DFunction'):
        F.deconvolution_2d(x, W, numpy.zeros(2, numpy.float32))
    with pytest.raises(InvalidType, match='Deconvolution2DFunction'):
        F.deconvolution_2d(x.astype(numpy.int64), W)
    with pytest.raises(InvalidType, match='DeconvolutionND'):
        F.deconvolution_nd(x[..., None], W)


@pytest.mark.gpu
def test_gpu():
    import cupy
    for case in CASES:
        x, W, b = _make(case, numpy.float32)
        y = _call(case, cupy.asarray(x), cupy.asarray(W), cupy.asarray(b))
        nd, dims, ks, s, p, d, g, outsize = case
        numpy.testing.assert_allclose(
            y.array.get(), ref_deconv(x, W, b, s, p, d, g, _default_out(case)),
            atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize('ndim', [1, 2])
def test_nonpositive_estimated_outsize_is_invalid_type_and_assertion_error(ndim):
    # Chainer asserts the estimated output size; kusari's error is both types.
    from kusari.utils import type_check
    x = numpy.zeros((2, 3) + (4,) * ndim, numpy.float32)
    W = numpy.zeros((3, 2) + (2,) * ndim, numpy.float32)
    with pytest.raises(AssertionError, match='output size'):
        F.deconvolution_nd(x, W, stride=1, pad=10)
    with pytest.raises(type_check.InvalidType, match='output size'):
        F.deconvolution_nd(x, W, stride=1, pad=10)
