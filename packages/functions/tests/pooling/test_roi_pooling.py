import math

import numpy
import pytest

import kusari
import kusari.functions as F
from kusari import gradient_check
from kusari.utils.type_check import InvalidType


def _round(v):
    return int(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)


def ref_pool(x, rois, bidx, outh, outw, scale, legacy, is_max):
    R = rois.shape[0]
    C, H, W = x.shape[1:]
    y = numpy.zeros((R, C, outh, outw))
    for r in range(R):
        if legacy:
            b, xmin, ymin, xmax, ymax = [float(v) for v in rois[r]]
            b = int(b)
            ymin, xmin, ymax, xmax = [_round(v * scale) for v in (ymin, xmin, ymax, xmax)]
            rh, rw = max(ymax - ymin + 1, 1), max(xmax - xmin + 1, 1)
        else:
            b = int(bidx[r])
            ymin, xmin, ymax, xmax = [_round(float(v) * scale) for v in rois[r]]
            rh, rw = max(ymax - ymin, 1), max(xmax - xmin, 1)
        for ph in range(outh):
            h0 = min(max(int(math.floor(ph * rh / outh)) + ymin, 0), H)
            h1 = min(max(int(math.ceil((ph + 1) * rh / outh)) + ymin, 0), H)
            for pw in range(outw):
                w0 = min(max(int(math.floor(pw * rw / outw)) + xmin, 0), W)
                w1 = min(max(int(math.ceil((pw + 1) * rw / outw)) + xmin, 0), W)
                if h1 <= h0 or w1 <= w0:
                    continue
                patch = x[b, :, h0:h1, w0:w1].astype(numpy.float64).reshape(C, -1)
                y[r, :, ph, pw] = patch.max(1) if is_max else patch.mean(1)
    return y


def _bilinear(plane, py, px):
    H, W = plane.shape
    if py < -1 or py > H or px < -1 or px > W:
        return None
    py, px = max(py, 0.), max(px, 0.)
    yl, xl = int(py), int(px)
    if yl >= H - 1:
        yl = yh = H - 1
        py = float(yl)
    else:
        yh = yl + 1
    if xl >= W - 1:
        xl = xh = W - 1
        px = float(xl)
    else:
        xh = xl + 1
    ly, lx = py - yl, px - xl
    return ((1 - ly) * (1 - lx) * plane[yl, xl] + (1 - ly) * lx * plane[yl, xh]
            + ly * (1 - lx) * plane[yh, xl] + ly * lx * plane[yh, xh])


def ref_align(x, rois, bidx, outh, outw, scale, sr, is_max):
    R = rois.shape[0]
    C = x.shape[1]
    y = numpy.zeros((R, C, outh, outw))
    for r in range(R):
        b = int(bidx[r])
        y0, x0, y1, x1 = [float(v) * scale for v in rois[r]]
        rh, rw = max(y1 - y0, 1.), max(x1 - x0, 1.)
        bh, bw = rh / outh, rw / outw
        gh = sr[0] if sr[0] else int(math.ceil(rh / outh))
        gw = sr[1] if sr[1] else int(math.ceil(rw / outw))
        for c in range(C):
            plane = x[b, c].astype(numpy.float64)
            for ph in range(outh):
                for pw in range(outw):
                    vals = []
                    for iy in range(gh):
                        for ix in range(gw):
                            v = _bilinear(plane, y0 + ph * bh + (iy + .5) * bh / gh,
                                          x0 + pw * bw + (ix + .5) * bw / gw)
                            if v is not None:
                                vals.append(v)
                    if is_max:
                        y[r, c, ph, pw] = max(vals) if vals else 0.
                    else:
                        y[r, c, ph, pw] = sum(vals) / (gh * gw)
    return y


def _inputs(dtype, seed=0, legacy=False):
    rng = numpy.random.RandomState(seed)
    n, c, h, w = 2, 3, 7, 6
    x = (rng.permutation(n * c * h * w).reshape(n, c, h, w) / (n * c * h * w) * 2 - 1)
    # scaled by 0.6: boxes inside, partly outside, tiny, and reversed (malformed)
    boxes = numpy.array([[1., 1.5, 9., 8.], [-3., 0., 5.2, 12.], [4.4, 4.4, 5., 5.1],
                         [6., 7., 2., 1.], [0., 0., 11.6, 10.]])
    bidx = numpy.array([0, 1, 1, 0, 1], numpy.int32)
    if legacy:
        rois = numpy.concatenate([bidx[:, None].astype(numpy.float64),
                                  boxes[:, [1, 0, 3, 2]]], axis=1)
    else:
        rois = boxes
    return x.astype(dtype), rois.astype(dtype), bidx


CASES = [
    # name, function(x, rois, bidx), reference(x, rois, bidx)
    ('pooling', lambda x, r, i: F.roi_pooling_2d(x, r, 2, 3, 0.6),
     lambda x, r, i: ref_pool(x, r, i, 2, 3, 0.6, True, True), True),
    ('max_pooling', lambda x, r, i: F.roi_max_pooling_2d(x, r, i, (2, 3), 0.6),
     lambda x, r, i: ref_pool(x, r, i, 2, 3, 0.6, False, True), False),
    ('average_pooling', lambda x, r, i: F.roi_average_pooling_2d(x, r, i, 2, 0.6),
     lambda x, r, i: ref_pool(x, r, i, 2, 2, 0.6, False, False), False),
    ('max_align', lambda x, r, i: F.roi_max_align_2d(x, r, i, (2, 3), 0.6),
     lambda x, r, i: ref_align(x, r, i, 2, 3, 0.6, (None, None), True), False),
    ('max_align_sr', lambda x, r, i: F.roi_max_align_2d(x, r, i, 2, 0.6, (2, 1)),
     lambda x, r, i: ref_align(x, r, i, 2, 2, 0.6, (2, 1), True), False),
    ('average_align', lambda x, r, i: F.roi_average_align_2d(x, r, i, (3, 2), 0.6),
     lambda x, r, i: ref_align(x, r, i, 3, 2, 0.6, (None, None), False), False),
    ('average_align_sr', lambda x, r, i: F.roi_average_align_2d(x, r, i, 2, 0.6, 3),
     lambda x, r, i: ref_align(x, r, i, 2, 2, 0.6, (3, 3), False), False),
]
IDS = [c[0] for c in CASES]


def _call(case, x, rois, bidx):
    return case[1](x, rois, bidx)


@pytest.mark.parametrize('case', CASES, ids=IDS)
@pytest.mark.parametrize('dtype', [numpy.float16, numpy.float32, numpy.float64])
def test_forward(case, dtype):
    x, rois, bidx = _inputs(dtype, legacy=case[3])
    y = _call(case, x, rois, bidx)
    assert y.dtype == dtype
    ref = case[2](x, rois, bidx)
    tol = 2e-3 if dtype == numpy.float16 else 1e-6
    numpy.testing.assert_allclose(y.array.astype(numpy.float64), ref, atol=tol, rtol=tol)
    # non-contiguous inputs give the same result
    xf = numpy.asfortranarray(x)
    rf = numpy.asfortranarray(rois)
    numpy.testing.assert_array_equal(_call(case, xf, rf, bidx[::-1][::-1]).array, y.array)


@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_backward(case):
    x, rois, bidx = _inputs(numpy.float64, legacy=case[3])
    y = _call(case, x, rois, bidx)
    rng = numpy.random.RandomState(1)
    gy = rng.uniform(-1, 1, y.shape)
    ggx = rng.uniform(-1, 1, x.shape)
    if case[3]:
        f = lambda x, r: _call(case, x, r, None)  # noqa: E731
        args, ng = (x, rois), [False, True]
    else:
        f = lambda x, r, i: _call(case, x, r, i)  # noqa: E731
        args, ng = (x, rois, bidx), [False, True, True]
    gradient_check.check_backward(f, args, gy, no_grads=ng, eps=1e-4, atol=1e-6)
    gradient_check.check_double_backward(f, args, gy, (ggx, None), no_grads=ng,
                                         eps=1e-4, atol=1e-6)
    # backward_array (engine's array path) agrees with the Variable path
    res = []
    for double in (False, True):
        xv = kusari.Variable(x.copy())
        yv = _call(case, xv, rois, bidx)
        gx, = kusari.grad([yv], [xv], [gy], enable_double_backprop=double)
        res.append(gx.array)
    numpy.testing.assert_allclose(res[0], res[1], atol=1e-12)


@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_backward_float16(case):
    x, rois, bidx = _inputs(numpy.float16, legacy=case[3])
    y = _call(case, x, rois, bidx)
    gy = numpy.random.RandomState(1).uniform(-1, 1, y.shape).astype(numpy.float16)
    xv = kusari.Variable(x)
    yv = _call(case, xv, rois, bidx)
    yv.grad = gy
    yv.backward()
    assert xv.grad.dtype == numpy.float16
    x64, rois64, _ = _inputs(numpy.float64, legacy=case[3])
    xv64 = kusari.Variable(x.astype(numpy.float64))
    yv64 = _call(case, xv64, rois.astype(numpy.float64), bidx)
    yv64.grad = gy.astype(numpy.float64)
    yv64.backward()
    numpy.testing.assert_allclose(xv.grad.astype(numpy.float64), xv64.grad, atol=5e-3)


def test_max_pooling_gradient_goes_to_argmax():
    x = numpy.arange(16, dtype=numpy.float32).reshape(1, 1, 4, 4)
    xv = kusari.Variable(x)
    y = F.roi_max_pooling_2d(xv, numpy.array([[0, 0, 4, 4]], numpy.float32),
                             numpy.zeros(1, numpy.int32), 2, 1.0)
    y.grad = numpy.ones_like(y.array)
    y.backward()
    expected = numpy.zeros((4, 4), numpy.float32)
    expected[[1, 1, 3, 3], [1, 3, 1, 3]] = 1
    numpy.testing.assert_array_equal(xv.grad[0, 0], expected)


def test_invalid():
    x, rois, bidx = _inputs(numpy.float32)
    with pytest.raises(InvalidType, match='ROIMaxPooling2D'):
        F.roi_max_pooling_2d(x[0], rois, bidx, 2, 1.0)
    with pytest.raises(InvalidType, match='ROIAverageAlign2D'):
        F.roi_average_align_2d(x, rois.astype(numpy.float64), bidx, 2, 1.0)
    with pytest.raises(InvalidType, match='ROIMaxAlign2D'):
        F.roi_max_align_2d(x, rois, bidx.astype(numpy.int64), 2, 1.0)
    with pytest.raises(InvalidType, match='ROIAveragePooling2D'):
        F.roi_average_pooling_2d(x, rois[:, :3], bidx, 2, 1.0)
    with pytest.raises(InvalidType, match='ROIPooling2D'):
        F.roi_pooling_2d(x, rois, 2, 2, 1.0)
    with pytest.raises(InvalidType, match='ROIMaxPooling2D'):
        F.roi_max_pooling_2d(x, rois, bidx[:2], 2, 1.0)
    with pytest.raises(ValueError, match='ROIMaxAlign2D'):
        F.roi_max_align_2d(x, rois, bidx + 1, 2, 1.0)
    with pytest.raises(ValueError, match='ROIPooling2D'):
        F.roi_pooling_2d(x, numpy.array([[-1, 0, 0, 1, 1]], numpy.float32), 2, 2, 1.0)
    with pytest.raises(ValueError, match='ROIAveragePooling2D'):
        F.roi_average_pooling_2d(x, numpy.full((5, 4), numpy.nan, numpy.float32), bidx,
                                 2, 1.0)
    with pytest.raises(TypeError, match='roi_average_align_2d'):
        F.roi_average_align_2d(x, rois, bidx, 0, 1.0)
    with pytest.raises(TypeError, match='roi_max_align_2d'):
        F.roi_max_align_2d(x, rois, bidx, 2, 1.0, sampling_ratio=0)
    with pytest.raises(TypeError, match='roi_max_pooling_2d'):
        F.roi_max_pooling_2d(x, rois, bidx, 2, -1.0)


@pytest.mark.gpu
@pytest.mark.parametrize('case', CASES, ids=IDS)
def test_gpu_matches_cpu(case):
    import cupy
    x, rois, bidx = _inputs(numpy.float32, legacy=case[3])
    xv = kusari.Variable(x)
    y = _call(case, xv, rois, bidx)
    gy = numpy.random.RandomState(1).uniform(-1, 1, y.shape).astype(numpy.float32)
    y.grad = gy
    y.backward()
    xg = kusari.Variable(cupy.asarray(x))
    yg = _call(case, xg, cupy.asarray(rois), cupy.asarray(bidx))
    yg.grad = cupy.asarray(gy)
    yg.backward()
    numpy.testing.assert_allclose(yg.array.get(), y.array, atol=1e-5)
    numpy.testing.assert_allclose(xg.grad.get(), xv.grad, atol=1e-5)
