"""Array-level ROI pooling / align primitives (Cython on NumPy, custom kernels on CuPy).

Private: the callers validate dtypes, shapes and ROI indexes first.  float16 inputs
are computed in float32.  ROI boxes are converted here:

* pooling: ``(start_h, start_w, height, width)`` int32 rows, from coordinates scaled
  by ``spatial_scale`` and rounded half away from zero (C's ``round``);
* align: ``(y0, x0, y1, x1)`` float64 rows, scaled by ``spatial_scale``.
"""
import numpy

from kusari import backend
from kusari.backends import cuda
from kusari.functions.pooling import _roi_kernels

_DECODE = '''
    int pw = i % OW;
    int ph = (i / OW) % OH;
    int c = (i / OW / OH) % C;
    int r = i / OW / OH / C;
    int b = bidx[r];
'''

_POOL_BIN = '''
    double bh = (double)box[r * 4 + 2] / OH;
    double bw = (double)box[r * 4 + 3] / OW;
    int h0 = min(max((int)floor(ph * bh) + box[r * 4 + 0], 0), H);
    int h1 = min(max((int)ceil((ph + 1) * bh) + box[r * 4 + 0], 0), H);
    int w0 = min(max((int)floor(pw * bw) + box[r * 4 + 1], 0), W);
    int w1 = min(max((int)ceil((pw + 1) * bw) + box[r * 4 + 1], 0), W);
    bool empty = (h1 <= h0) || (w1 <= w0);
    int base = (b * C + c) * H * W;
'''

_roi_pool_fwd_gpu = cuda.elementwise(
    'raw T x, raw int32 bidx, raw int32 box, int32 C, int32 H, int32 W, int32 OH, '
    'int32 OW, int32 is_max',
    'T y, int32 argmax',
    _DECODE + _POOL_BIN + '''
    if (empty) {
        y = (T)0;
        argmax = -1;
    } else if (is_max) {
        T best = x[base + h0 * W + w0];
        int best_i = h0 * W + w0;
        for (int h = h0; h < h1; ++h) {
            for (int w = w0; w < w1; ++w) {
                T v = x[base + h * W + w];
                if (v > best) {
                    best = v;
                    best_i = h * W + w;
                }
            }
        }
        y = best;
        argmax = best_i;
    } else {
        double acc = 0;
        for (int h = h0; h < h1; ++h) {
            for (int w = w0; w < w1; ++w) {
                acc += (double)x[base + h * W + w];
            }
        }
        y = (T)(acc / ((h1 - h0) * (w1 - w0)));
    }
    ''',
    'kusari_roi_pool_fwd')

_roi_pool_bwd_gpu = cuda.elementwise(
    'T gy, int32 argmax, raw int32 bidx, raw int32 box, int32 C, int32 H, int32 W, '
    'int32 OH, int32 OW, int32 is_max',
    'raw T gx',
    _DECODE + _POOL_BIN + '''
    if (!empty) {
        if (is_max) {
            if (argmax >= 0 && argmax < H * W) {
                atomicAdd(&gx[base + argmax], gy);
            }
        } else {
            T g = (T)((double)gy / ((h1 - h0) * (w1 - w0)));
            for (int h = h0; h < h1; ++h) {
                for (int w = w0; w < w1; ++w) {
                    atomicAdd(&gx[base + h * W + w], g);
                }
            }
        }
    }
    ''',
    'kusari_roi_pool_bwd')

_ALIGN_PREAMBLE = '''
__device__ bool kusari_roi_bounds(double &p, int limit, int &low, int &high) {
    if (p < -1. || p > limit) {
        return false;
    }
    if (p <= 0) {
        p = 0;
    }
    low = (int)p;
    if (low >= limit - 1) {
        low = limit - 1;
        high = limit - 1;
        p = (double)low;
    } else {
        high = low + 1;
    }
    return true;
}
'''

_ALIGN_BIN = '''
    double y0 = rois[r * 4 + 0];
    double x0 = rois[r * 4 + 1];
    double rh = rois[r * 4 + 2] - y0;
    double rw = rois[r * 4 + 3] - x0;
    rh = rh < 1. ? 1. : rh;
    rw = rw < 1. ? 1. : rw;
    double bin_h = rh / OH;
    double bin_w = rw / OW;
    int gh = srh > 0 ? srh : (int)ceil(rh / OH);
    int gw = srw > 0 ? srw : (int)ceil(rw / OW);
    int base = (b * C + c) * H * W;
'''

_roi_align_fwd_gpu = cuda.elementwise(
    'raw T x, raw float64 rois, raw int32 bidx, int32 C, int32 H, int32 W, int32 OH, '
    'int32 OW, int32 srh, int32 srw, int32 mode',
    'T y, int32 argmax',
    _DECODE + _ALIGN_BIN + '''
    double acc = 0;
    double best = 0;
    int best_i = -1;
    int k = mode == 2 ? argmax : -1;
    for (int iy = 0; iy < gh; ++iy) {
        double py = y0 + ph * bin_h + (iy + .5) * bin_h / gh;
        int yl, yh;
        if (!kusari_roi_bounds(py, H, yl, yh)) {
            continue;
        }
        double ly = py - yl;
        for (int ix = 0; ix < gw; ++ix) {
            if (mode == 2 && iy * gw + ix != k) {
                continue;
            }
            double px = x0 + pw * bin_w + (ix + .5) * bin_w / gw;
            int xl, xh;
            if (!kusari_roi_bounds(px, W, xl, xh)) {
                continue;
            }
            double lx = px - xl;
            double v = (1 - ly) * (1 - lx) * (double)x[base + yl * W + xl]
                + (1 - ly) * lx * (double)x[base + yl * W + xh]
                + ly * (1 - lx) * (double)x[base + yh * W + xl]
                + ly * lx * (double)x[base + yh * W + xh];
            if (mode == 0) {
                acc += v;
            } else if (mode == 2) {
                acc = v;
            } else if (best_i < 0 || v > best) {
                best = v;
                best_i = iy * gw + ix;
            }
        }
    }
    if (mode == 0) {
        y = (T)(acc / (gh * gw));
    } else if (mode == 2) {
        y = (T)acc;
    } else {
        y = (T)best;
        argmax = best_i;
    }
    ''',
    'kusari_roi_align_fwd', preamble=_ALIGN_PREAMBLE)

_roi_align_bwd_gpu = cuda.elementwise(
    'T gy, int32 argmax, raw float64 rois, raw int32 bidx, int32 C, int32 H, int32 W, '
    'int32 OH, int32 OW, int32 srh, int32 srw, int32 is_max',
    'raw T gx',
    _DECODE + _ALIGN_BIN + '''
    double g = (double)gy;
    int k = -1;
    if (is_max) {
        k = argmax;
    } else {
        g = g / (gh * gw);
    }
    if (!is_max || k >= 0) {
        for (int iy = 0; iy < gh; ++iy) {
            double py = y0 + ph * bin_h + (iy + .5) * bin_h / gh;
            int yl, yh;
            if (!kusari_roi_bounds(py, H, yl, yh)) {
                continue;
            }
            double ly = py - yl;
            for (int ix = 0; ix < gw; ++ix) {
                if (is_max && iy * gw + ix != k) {
                    continue;
                }
                double px = x0 + pw * bin_w + (ix + .5) * bin_w / gw;
                int xl, xh;
                if (!kusari_roi_bounds(px, W, xl, xh)) {
                    continue;
                }
                double lx = px - xl;
                atomicAdd(&gx[base + yl * W + xl], (T)(g * (1 - ly) * (1 - lx)));
                atomicAdd(&gx[base + yl * W + xh], (T)(g * (1 - ly) * lx));
                atomicAdd(&gx[base + yh * W + xl], (T)(g * ly * (1 - lx)));
                atomicAdd(&gx[base + yh * W + xh], (T)(g * ly * lx));
            }
        }
    }
    ''',
    'kusari_roi_align_bwd', preamble=_ALIGN_PREAMBLE)


def _work(x):
    return x.astype(numpy.float32) if x.dtype == numpy.float16 else x


def pool_boxes(xp, rois, spatial_scale, legacy):
    """int32 ``(start_h, start_w, height, width)`` rows of the pooling bins."""
    r = rois.astype(numpy.float64) * spatial_scale
    r = xp.sign(r) * xp.floor(xp.abs(r) + 0.5)
    if legacy:  # (batch, x_min, y_min, x_max, y_max), inclusive ends
        y0, x0, y1, x1 = r[:, 2], r[:, 1], r[:, 4], r[:, 3]
        h = xp.maximum(y1 - y0 + 1, 1)
        w = xp.maximum(x1 - x0 + 1, 1)
    else:       # (y_min, x_min, y_max, x_max)
        y0, x0, y1, x1 = r[:, 0], r[:, 1], r[:, 2], r[:, 3]
        h = xp.maximum(y1 - y0, 1)
        w = xp.maximum(x1 - x0, 1)
    return xp.ascontiguousarray(xp.stack([y0, x0, h, w], axis=1).astype(numpy.int32))


def align_boxes(xp, rois, spatial_scale):
    """float64 ``(y0, x0, y1, x1)`` rows in feature-map coordinates."""
    return xp.ascontiguousarray(rois.astype(numpy.float64) * spatial_scale)


def pool_forward(x, bidx, box, outh, outw, is_max):
    xp = backend.get_array_module(x)
    xw = xp.ascontiguousarray(_work(x))
    R, C, H, W = box.shape[0], x.shape[1], x.shape[2], x.shape[3]
    argmax = xp.full((R, C, outh, outw), -1, numpy.int32)
    if xp is numpy:
        y = numpy.empty((R, C, outh, outw), xw.dtype)
        _roi_kernels.roi_pool_fwd(xw, bidx, box, bool(is_max), y, argmax)
    else:
        y = xp.empty((R, C, outh, outw), xw.dtype)
        _roi_pool_fwd_gpu(xw, bidx, box, C, H, W, outh, outw, int(is_max), y, argmax)
    return y.astype(x.dtype, copy=False), argmax


def pool_backward(gy, bidx, box, is_max, argmax, x_shape):
    xp = backend.get_array_module(gy)
    gw = xp.ascontiguousarray(_work(gy))
    gx = xp.zeros(x_shape, gw.dtype)
    if xp is numpy:
        _roi_kernels.roi_pool_bwd(gw, bidx, box, bool(is_max), argmax, gx)
    else:
        C, H, W = x_shape[1:]
        _roi_pool_bwd_gpu(gw, argmax, bidx, box, C, H, W, gy.shape[2], gy.shape[3],
                          int(is_max), gx)
    return gx.astype(gy.dtype, copy=False)


def pool_gather(src, bidx, argmax):
    """``out[r, c, p, q] = src[bidx[r], c].flat[argmax[r, c, p, q]]`` (0 where -1)."""
    xp = backend.get_array_module(src)
    n, C = src.shape[:2]
    flat = src.reshape(n, C, -1)
    R = argmax.shape[0]
    idx = xp.maximum(argmax, 0).reshape(R, C, -1)
    out = flat[bidx[:, None, None], xp.arange(C)[None, :, None], idx]
    out = out * (argmax.reshape(R, C, -1) >= 0)
    return out.reshape(argmax.shape).astype(src.dtype, copy=False)


def _sr(sampling_ratio):
    return tuple(0 if s is None else int(s) for s in sampling_ratio)


def align_forward(x, rois, bidx, outh, outw, sampling_ratio, mode, argmax=None):
    xp = backend.get_array_module(x)
    xw = xp.ascontiguousarray(_work(x))
    R, C, H, W = rois.shape[0], x.shape[1], x.shape[2], x.shape[3]
    srh, srw = _sr(sampling_ratio)
    if argmax is None:
        argmax = xp.full((R, C, outh, outw), -1, numpy.int32)
    else:
        argmax = xp.ascontiguousarray(argmax)
    y = xp.empty((R, C, outh, outw), xw.dtype)
    if xp is numpy:
        _roi_kernels.roi_align_fwd(xw, rois, bidx, srh, srw, mode, y, argmax)
    else:
        _roi_align_fwd_gpu(xw, rois, bidx, C, H, W, outh, outw, srh, srw, mode, y,
                           argmax)
    return y.astype(x.dtype, copy=False), argmax


def align_backward(gy, rois, bidx, sampling_ratio, is_max, argmax, x_shape):
    xp = backend.get_array_module(gy)
    gw = xp.ascontiguousarray(_work(gy))
    gx = xp.zeros(x_shape, gw.dtype)
    srh, srw = _sr(sampling_ratio)
    if xp is numpy:
        _roi_kernels.roi_align_bwd(gw, rois, bidx, srh, srw, bool(is_max), argmax, gx)
    else:
        C, H, W = x_shape[1:]
        _roi_align_bwd_gpu(gw, argmax, rois, bidx, C, H, W, gy.shape[2], gy.shape[3],
                           srh, srw, int(is_max), gx)
    return gx.astype(gy.dtype, copy=False)
