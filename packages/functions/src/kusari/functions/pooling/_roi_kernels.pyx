# cython: language_level=3
"""CPU kernels of the ROI poolings and aligns.

Pooling (``roi_pool_*``): each ROI is given by integer ``(start_h, start_w, height,
width)`` in feature-map pixels; bin ``(ph, pw)`` covers rows
``[floor(ph * height / outh), ceil((ph + 1) * height / outh))`` shifted by
``start_h`` and clipped to the map (columns likewise).  Max pooling records the flat
position ``h * W + w`` of the maximum (``-1`` for an empty bin, whose output is 0);
average pooling divides by the number of pixels of the bin.

Align (``roi_align_*``): each ROI is ``(y0, x0, y1, x1)`` in feature-map coordinates
(already scaled); each bin is sampled on a regular ``grid_h x grid_w`` grid
(``sampling_ratio``, or ``ceil(roi size / out size)`` when 0) with bilinear
interpolation, and the samples are averaged (``mode`` 0) or maximized (``mode`` 1,
recording the sample index ``iy * grid_w + ix``; ``-1`` and output 0 when no sample
lies in the map).  ``mode`` 2 reads the sample recorded in ``argmax`` (the adjoint
of the max-align gradient).

Every function validates the batch indexes and shapes before the unchecked loops.
"""
cimport cython
from libc.math cimport ceil, floor

ctypedef fused real_t:
    float
    double


def _check_common(str who, Py_ssize_t n_batch, int[::1] bidx, Py_ssize_t n_rois,
                  Py_ssize_t ny0, Py_ssize_t ny1):
    cdef Py_ssize_t r
    if bidx.shape[0] != n_rois or ny0 != n_rois:
        raise ValueError('%s: %d rois but %d roi indices / %d outputs'
                         % (who, n_rois, bidx.shape[0], ny0))
    for r in range(n_rois):
        if bidx[r] < 0 or bidx[r] >= n_batch:
            raise ValueError('%s: roi index %d out of range [0, %d)'
                             % (who, bidx[r], n_batch))


cdef inline Py_ssize_t _clip(Py_ssize_t v, Py_ssize_t lo, Py_ssize_t hi) noexcept nogil:
    return lo if v < lo else (hi if v > hi else v)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _bin(Py_ssize_t p, Py_ssize_t start, Py_ssize_t size, Py_ssize_t out,
               Py_ssize_t limit, Py_ssize_t* lo, Py_ssize_t* hi) noexcept nogil:
    cdef double b = <double>size / <double>out
    lo[0] = _clip(<Py_ssize_t>floor(p * b) + start, 0, limit)
    hi[0] = _clip(<Py_ssize_t>ceil((p + 1) * b) + start, 0, limit)


def _check_pool(str who, x, int[::1] bidx, int[:, ::1] box, y, int[:, :, :, ::1] argmax):
    _check_common(who, x.shape[0], bidx, box.shape[0], y.shape[0], argmax.shape[0])
    if box.shape[1] != 4:
        raise ValueError('%s: boxes must have 4 columns' % who)
    if (y.shape[1] != x.shape[1] or argmax.shape[1] != y.shape[1]
            or argmax.shape[2] != y.shape[2] or argmax.shape[3] != y.shape[3]):
        raise ValueError('%s: output shapes do not match' % who)


@cython.boundscheck(False)
@cython.wraparound(False)
def roi_pool_fwd(real_t[:, :, :, ::1] x, int[::1] bidx, int[:, ::1] box, bint is_max,
                 real_t[:, :, :, ::1] y, int[:, :, :, ::1] argmax):
    """ROI max/average pooling; ``box[r] = (start_h, start_w, height, width)``."""
    _check_pool('roi_pool_fwd', x, bidx, box, y, argmax)
    cdef Py_ssize_t R = y.shape[0], C = y.shape[1], OH = y.shape[2], OW = y.shape[3]
    cdef Py_ssize_t H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t r, c, ph, pw, h, w, h0, h1, w0, w1, b, best_i
    cdef double acc, best, v
    with nogil:
        for r in range(R):
            b = bidx[r]
            for ph in range(OH):
                _bin(ph, box[r, 0], box[r, 2], OH, H, &h0, &h1)
                for pw in range(OW):
                    _bin(pw, box[r, 1], box[r, 3], OW, W, &w0, &w1)
                    for c in range(C):
                        if h1 <= h0 or w1 <= w0:
                            y[r, c, ph, pw] = 0
                            argmax[r, c, ph, pw] = -1
                            continue
                        if is_max:
                            best = x[b, c, h0, w0]
                            best_i = h0 * W + w0
                            for h in range(h0, h1):
                                for w in range(w0, w1):
                                    v = x[b, c, h, w]
                                    if v > best:
                                        best = v
                                        best_i = h * W + w
                            y[r, c, ph, pw] = <real_t>best
                            argmax[r, c, ph, pw] = <int>best_i
                        else:
                            acc = 0
                            for h in range(h0, h1):
                                for w in range(w0, w1):
                                    acc += x[b, c, h, w]
                            y[r, c, ph, pw] = <real_t>(acc / ((h1 - h0) * (w1 - w0)))


@cython.boundscheck(False)
@cython.wraparound(False)
def roi_pool_bwd(real_t[:, :, :, ::1] gy, int[::1] bidx, int[:, ::1] box, bint is_max,
                 int[:, :, :, ::1] argmax, real_t[:, :, :, ::1] gx):
    """Adjoint of :func:`roi_pool_fwd`: adds into ``gx`` (zero it first)."""
    _check_pool('roi_pool_bwd', gx, bidx, box, gy, argmax)
    cdef Py_ssize_t R = gy.shape[0], C = gy.shape[1], OH = gy.shape[2], OW = gy.shape[3]
    cdef Py_ssize_t H = gx.shape[2], W = gx.shape[3]
    cdef Py_ssize_t r, c, ph, pw, h, w, h0, h1, w0, w1, b, k
    cdef double g
    with nogil:
        for r in range(R):
            b = bidx[r]
            for ph in range(OH):
                _bin(ph, box[r, 0], box[r, 2], OH, H, &h0, &h1)
                for pw in range(OW):
                    _bin(pw, box[r, 1], box[r, 3], OW, W, &w0, &w1)
                    if h1 <= h0 or w1 <= w0:
                        continue
                    for c in range(C):
                        if is_max:
                            k = argmax[r, c, ph, pw]
                            if 0 <= k < H * W:
                                gx[b, c, k // W, k % W] += gy[r, c, ph, pw]
                        else:
                            g = gy[r, c, ph, pw] / <double>((h1 - h0) * (w1 - w0))
                            for h in range(h0, h1):
                                for w in range(w0, w1):
                                    gx[b, c, h, w] += <real_t>g


# ---- align ---------------------------------------------------------------------------

cdef inline bint _bounds(double* p, Py_ssize_t limit, Py_ssize_t* low,
                         Py_ssize_t* high) noexcept nogil:
    if p[0] < -1. or p[0] > limit:
        return False
    if p[0] <= 0:
        p[0] = 0
    low[0] = <Py_ssize_t>p[0]
    if low[0] >= limit - 1:
        low[0] = limit - 1
        high[0] = limit - 1
        p[0] = <double>low[0]
    else:
        high[0] = low[0] + 1
    return True


cdef struct _AlignBin:
    double y0, x0, bin_h, bin_w
    Py_ssize_t gh, gw


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline void _align_bin(double[:, ::1] rois, Py_ssize_t r, Py_ssize_t OH,
                            Py_ssize_t OW, int srh, int srw,
                            _AlignBin* ab) noexcept nogil:
    cdef double rh = rois[r, 2] - rois[r, 0]
    cdef double rw = rois[r, 3] - rois[r, 1]
    if rh < 1.:
        rh = 1.
    if rw < 1.:
        rw = 1.
    ab.y0 = rois[r, 0]
    ab.x0 = rois[r, 1]
    ab.bin_h = rh / OH
    ab.bin_w = rw / OW
    ab.gh = srh if srh > 0 else <Py_ssize_t>ceil(rh / OH)
    ab.gw = srw if srw > 0 else <Py_ssize_t>ceil(rw / OW)


def _check_align(str who, x, double[:, ::1] rois, int[::1] bidx, y,
                 int[:, :, :, ::1] argmax):
    _check_common(who, x.shape[0], bidx, rois.shape[0], y.shape[0], argmax.shape[0])
    if rois.shape[1] != 4:
        raise ValueError('%s: rois must have 4 columns' % who)
    if (y.shape[1] != x.shape[1] or argmax.shape[1] != y.shape[1]
            or argmax.shape[2] != y.shape[2] or argmax.shape[3] != y.shape[3]):
        raise ValueError('%s: output shapes do not match' % who)


@cython.boundscheck(False)
@cython.wraparound(False)
def roi_align_fwd(real_t[:, :, :, ::1] x, double[:, ::1] rois, int[::1] bidx,
                  int srh, int srw, int mode, real_t[:, :, :, ::1] y,
                  int[:, :, :, ::1] argmax):
    """ROI average (mode 0) / max (1) align, or gather at ``argmax`` (2)."""
    _check_align('roi_align_fwd', x, rois, bidx, y, argmax)
    cdef Py_ssize_t R = y.shape[0], C = y.shape[1], OH = y.shape[2], OW = y.shape[3]
    cdef Py_ssize_t H = x.shape[2], W = x.shape[3]
    cdef Py_ssize_t r, c, ph, pw, iy, ix, b, yl, yh, xl, xh, k, best_i
    cdef double py, px, ly, lx, v, acc, best
    cdef _AlignBin ab
    with nogil:
        for r in range(R):
            b = bidx[r]
            _align_bin(rois, r, OH, OW, srh, srw, &ab)
            for c in range(C):
                for ph in range(OH):
                    for pw in range(OW):
                        acc = 0
                        best = 0
                        best_i = -1
                        k = argmax[r, c, ph, pw] if mode == 2 else -1
                        for iy in range(ab.gh):
                            py = ab.y0 + ph * ab.bin_h + (iy + .5) * ab.bin_h / ab.gh
                            if not _bounds(&py, H, &yl, &yh):
                                continue
                            ly = py - yl
                            for ix in range(ab.gw):
                                if mode == 2 and iy * ab.gw + ix != k:
                                    continue
                                px = ab.x0 + pw * ab.bin_w + (ix + .5) * ab.bin_w / ab.gw
                                if not _bounds(&px, W, &xl, &xh):
                                    continue
                                lx = px - xl
                                v = ((1 - ly) * (1 - lx) * x[b, c, yl, xl]
                                     + (1 - ly) * lx * x[b, c, yl, xh]
                                     + ly * (1 - lx) * x[b, c, yh, xl]
                                     + ly * lx * x[b, c, yh, xh])
                                if mode == 0:
                                    acc += v
                                elif mode == 2:
                                    acc = v
                                elif best_i < 0 or v > best:
                                    best = v
                                    best_i = iy * ab.gw + ix
                        if mode == 0:
                            y[r, c, ph, pw] = <real_t>(acc / (ab.gh * ab.gw))
                        elif mode == 2:
                            y[r, c, ph, pw] = <real_t>acc
                        else:
                            y[r, c, ph, pw] = <real_t>best
                            argmax[r, c, ph, pw] = <int>best_i


@cython.boundscheck(False)
@cython.wraparound(False)
def roi_align_bwd(real_t[:, :, :, ::1] gy, double[:, ::1] rois, int[::1] bidx,
                  int srh, int srw, bint is_max, int[:, :, :, ::1] argmax,
                  real_t[:, :, :, ::1] gx):
    """Adjoint of :func:`roi_align_fwd` (modes 0 and 1): adds into ``gx``."""
    _check_align('roi_align_bwd', gx, rois, bidx, gy, argmax)
    cdef Py_ssize_t R = gy.shape[0], C = gy.shape[1], OH = gy.shape[2], OW = gy.shape[3]
    cdef Py_ssize_t H = gx.shape[2], W = gx.shape[3]
    cdef Py_ssize_t r, c, ph, pw, iy, ix, b, yl, yh, xl, xh, k
    cdef double py, px, ly, lx, g
    cdef _AlignBin ab
    with nogil:
        for r in range(R):
            b = bidx[r]
            _align_bin(rois, r, OH, OW, srh, srw, &ab)
            for c in range(C):
                for ph in range(OH):
                    for pw in range(OW):
                        g = gy[r, c, ph, pw]
                        if is_max:
                            k = argmax[r, c, ph, pw]
                            if k < 0:
                                continue
                        else:
                            k = -1
                            g = g / (ab.gh * ab.gw)
                        for iy in range(ab.gh):
                            py = ab.y0 + ph * ab.bin_h + (iy + .5) * ab.bin_h / ab.gh
                            if not _bounds(&py, H, &yl, &yh):
                                continue
                            ly = py - yl
                            for ix in range(ab.gw):
                                if is_max and iy * ab.gw + ix != k:
                                    continue
                                px = ab.x0 + pw * ab.bin_w + (ix + .5) * ab.bin_w / ab.gw
                                if not _bounds(&px, W, &xl, &xh):
                                    continue
                                lx = px - xl
                                gx[b, c, yl, xl] += <real_t>(g * (1 - ly) * (1 - lx))
                                gx[b, c, yl, xh] += <real_t>(g * (1 - ly) * lx)
                                gx[b, c, yh, xl] += <real_t>(g * ly * (1 - lx))
                                gx[b, c, yh, xh] += <real_t>(g * ly * lx)
