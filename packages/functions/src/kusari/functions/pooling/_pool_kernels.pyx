# cython: language_level=3
"""CPU kernels of the pooling family (2-D specializations and an N-D generic).

Windows start at ``o * s - p`` and span ``k`` elements per axis; elements outside
the input are padding.  Max pooling records the argmax as the flat index of the
kernel offset (``ky * kw + kx`` in 2-D), Chainer's ``indexes``.  Sum pooling divides
by ``div`` (``mode == 0``), by the number of in-bounds elements (``mode == 1``), or
not at all (``mode == 2``).

The kernels trust their arguments (the Python callers allocate the outputs with the
right shapes and validate user-given indexes); positions computed from an index are
still bounds-checked before any access.
"""
cimport cython
from libc.math cimport INFINITY

ctypedef fused real_t:
    float
    double

cdef enum:
    MAXD = 8


cdef inline Py_ssize_t _imax(Py_ssize_t a, Py_ssize_t b) noexcept nogil:
    return a if a > b else b


cdef inline Py_ssize_t _imin(Py_ssize_t a, Py_ssize_t b) noexcept nogil:
    return a if a < b else b


def _check4(a, b, str who):
    if a.shape[0] != b.shape[0] or a.shape[1] != b.shape[1]:
        raise ValueError('%s: batch/channel shapes differ' % who)


@cython.boundscheck(False)
@cython.wraparound(False)
def max_pool_2d_fwd(real_t[:, :, :, ::1] x, real_t[:, :, :, ::1] y, int[:, :, :, ::1] idx,
                    Py_ssize_t kh, Py_ssize_t kw, Py_ssize_t sy, Py_ssize_t sx,
                    Py_ssize_t ph, Py_ssize_t pw):
    """``y`` = window maxima of ``x``; ``idx`` = their flat kernel offsets."""
    _check4(x, y, 'max_pool_2d_fwd')
    _check4(x, idx, 'max_pool_2d_fwd')
    if y.shape[2] != idx.shape[2] or y.shape[3] != idx.shape[3]:
        raise ValueError('max_pool_2d_fwd: y and idx shapes differ')
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    cdef Py_ssize_t oh = y.shape[2], ow = y.shape[3]
    cdef Py_ssize_t i, j, oy, ox, y0, x0, ylo, yhi, xlo, xhi, iy, ix, bi
    cdef real_t best, v
    cdef real_t* src
    cdef real_t* dst
    cdef int* di
    with nogil:
        for i in range(n):
            for j in range(c):
                src = &x[i, j, 0, 0]
                dst = &y[i, j, 0, 0]
                di = &idx[i, j, 0, 0]
                for oy in range(oh):
                    y0 = oy * sy - ph
                    ylo = _imax(y0, 0)
                    yhi = _imin(y0 + kh, h)
                    for ox in range(ow):
                        x0 = ox * sx - pw
                        xlo = _imax(x0, 0)
                        xhi = _imin(x0 + kw, w)
                        best = -INFINITY
                        bi = -1
                        for iy in range(ylo, yhi):
                            for ix in range(xlo, xhi):
                                v = src[iy * w + ix]
                                if bi < 0 or v > best:
                                    best = v
                                    bi = (iy - y0) * kw + (ix - x0)
                        dst[oy * ow + ox] = best
                        di[oy * ow + ox] = bi if bi >= 0 else 0


@cython.boundscheck(False)
@cython.wraparound(False)
def max_pool_2d_scatter(real_t[:, :, :, ::1] gy, int[:, :, :, ::1] idx,
                        real_t[:, :, :, ::1] gx, Py_ssize_t kh, Py_ssize_t kw,
                        Py_ssize_t sy, Py_ssize_t sx, Py_ssize_t ph, Py_ssize_t pw):
    """``gx[window argmax] += gy`` (``gx`` is added to; padding positions are dropped)."""
    _check4(gy, gx, 'max_pool_2d_scatter')
    _check4(gy, idx, 'max_pool_2d_scatter')
    if gy.shape[2] != idx.shape[2] or gy.shape[3] != idx.shape[3]:
        raise ValueError('max_pool_2d_scatter: gy and idx shapes differ')
    cdef Py_ssize_t n = gx.shape[0], c = gx.shape[1], h = gx.shape[2], w = gx.shape[3]
    cdef Py_ssize_t oh = gy.shape[2], ow = gy.shape[3]
    cdef Py_ssize_t i, j, oy, ox, k, iy, ix
    cdef real_t* src
    cdef real_t* dst
    cdef int* di
    if kw <= 0:
        raise ValueError('max_pool_2d_scatter: kw must be positive')
    with nogil:
        for i in range(n):
            for j in range(c):
                src = &gy[i, j, 0, 0]
                dst = &gx[i, j, 0, 0]
                di = &idx[i, j, 0, 0]
                for oy in range(oh):
                    for ox in range(ow):
                        k = di[oy * ow + ox]
                        iy = oy * sy - ph + k // kw
                        ix = ox * sx - pw + k % kw
                        if 0 <= iy < h and 0 <= ix < w:
                            dst[iy * w + ix] += src[oy * ow + ox]


@cython.boundscheck(False)
@cython.wraparound(False)
def max_pool_2d_gather(real_t[:, :, :, ::1] src_arr, int[:, :, :, ::1] idx,
                       real_t[:, :, :, ::1] out, Py_ssize_t kh, Py_ssize_t kw,
                       Py_ssize_t sy, Py_ssize_t sx, Py_ssize_t ph, Py_ssize_t pw):
    """``out = src[window argmax]`` (0 where the argmax lies in the padding)."""
    _check4(src_arr, out, 'max_pool_2d_gather')
    _check4(out, idx, 'max_pool_2d_gather')
    if out.shape[2] != idx.shape[2] or out.shape[3] != idx.shape[3]:
        raise ValueError('max_pool_2d_gather: out and idx shapes differ')
    cdef Py_ssize_t n = src_arr.shape[0], c = src_arr.shape[1]
    cdef Py_ssize_t h = src_arr.shape[2], w = src_arr.shape[3]
    cdef Py_ssize_t oh = out.shape[2], ow = out.shape[3]
    cdef Py_ssize_t i, j, oy, ox, k, iy, ix
    cdef real_t* src
    cdef real_t* dst
    cdef int* di
    if kw <= 0:
        raise ValueError('max_pool_2d_gather: kw must be positive')
    with nogil:
        for i in range(n):
            for j in range(c):
                src = &src_arr[i, j, 0, 0]
                dst = &out[i, j, 0, 0]
                di = &idx[i, j, 0, 0]
                for oy in range(oh):
                    for ox in range(ow):
                        k = di[oy * ow + ox]
                        iy = oy * sy - ph + k // kw
                        ix = ox * sx - pw + k % kw
                        if 0 <= iy < h and 0 <= ix < w:
                            dst[oy * ow + ox] = src[iy * w + ix]
                        else:
                            dst[oy * ow + ox] = 0


@cython.boundscheck(False)
@cython.wraparound(False)
def sum_pool_2d_fwd(real_t[:, :, :, ::1] x, real_t[:, :, :, ::1] y,
                    Py_ssize_t kh, Py_ssize_t kw, Py_ssize_t sy, Py_ssize_t sx,
                    Py_ssize_t ph, Py_ssize_t pw, int mode, double div):
    """``y`` = window sums of ``x`` divided as ``mode`` says."""
    _check4(x, y, 'sum_pool_2d_fwd')
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    cdef Py_ssize_t oh = y.shape[2], ow = y.shape[3]
    cdef Py_ssize_t i, j, oy, ox, y0, x0, ylo, yhi, xlo, xhi, iy, ix, cnt
    cdef real_t acc
    cdef real_t* src
    cdef real_t* dst
    with nogil:
        for i in range(n):
            for j in range(c):
                src = &x[i, j, 0, 0]
                dst = &y[i, j, 0, 0]
                for oy in range(oh):
                    y0 = oy * sy - ph
                    ylo = _imax(y0, 0)
                    yhi = _imin(y0 + kh, h)
                    for ox in range(ow):
                        x0 = ox * sx - pw
                        xlo = _imax(x0, 0)
                        xhi = _imin(x0 + kw, w)
                        acc = 0
                        for iy in range(ylo, yhi):
                            for ix in range(xlo, xhi):
                                acc = acc + src[iy * w + ix]
                        if mode == 0:
                            acc = <real_t>(acc / div)
                        elif mode == 1:
                            cnt = _imax(yhi - ylo, 0) * _imax(xhi - xlo, 0)
                            if cnt > 0:
                                acc = acc / cnt
                        dst[oy * ow + ox] = acc


@cython.boundscheck(False)
@cython.wraparound(False)
def sum_pool_2d_bwd(real_t[:, :, :, ::1] gy, real_t[:, :, :, ::1] gx,
                    Py_ssize_t kh, Py_ssize_t kw, Py_ssize_t sy, Py_ssize_t sx,
                    Py_ssize_t ph, Py_ssize_t pw, int mode, double div):
    """``gx[window] += gy / divisor`` for every window (``gx`` is added to)."""
    _check4(gy, gx, 'sum_pool_2d_bwd')
    cdef Py_ssize_t n = gx.shape[0], c = gx.shape[1], h = gx.shape[2], w = gx.shape[3]
    cdef Py_ssize_t oh = gy.shape[2], ow = gy.shape[3]
    cdef Py_ssize_t i, j, oy, ox, y0, x0, ylo, yhi, xlo, xhi, iy, ix, cnt
    cdef real_t v
    cdef real_t* src
    cdef real_t* dst
    with nogil:
        for i in range(n):
            for j in range(c):
                src = &gy[i, j, 0, 0]
                dst = &gx[i, j, 0, 0]
                for oy in range(oh):
                    y0 = oy * sy - ph
                    ylo = _imax(y0, 0)
                    yhi = _imin(y0 + kh, h)
                    for ox in range(ow):
                        x0 = ox * sx - pw
                        xlo = _imax(x0, 0)
                        xhi = _imin(x0 + kw, w)
                        v = src[oy * ow + ox]
                        if mode == 0:
                            v = <real_t>(v / div)
                        elif mode == 1:
                            cnt = _imax(yhi - ylo, 0) * _imax(xhi - xlo, 0)
                            if cnt > 0:
                                v = v / cnt
                        for iy in range(ylo, yhi):
                            for ix in range(xlo, xhi):
                                dst[iy * w + ix] += v


# ---- N-D generic --------------------------------------------------------------------

cdef int _load(tuple t, Py_ssize_t* out, int d) except -1:
    cdef int i
    if len(t) != d:
        raise ValueError('expected %d values, got %d' % (d, len(t)))
    for i in range(d):
        out[i] = t[i]
    return 0


cdef inline Py_ssize_t _prod(Py_ssize_t* a, int d) noexcept nogil:
    cdef Py_ssize_t p = 1
    cdef int i
    for i in range(d):
        p *= a[i]
    return p


cdef inline bint _next(Py_ssize_t* idx, Py_ssize_t* lim, int d) noexcept nogil:
    # Advance an odometer; False once it wraps around.
    cdef int i = d - 1
    while i >= 0:
        idx[i] += 1
        if idx[i] < lim[i]:
            return True
        idx[i] = 0
        i -= 1
    return False


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _pool_nd(int op, real_t* a, real_t* b, int* ix, Py_ssize_t nc, int d,
                   Py_ssize_t* dims, Py_ssize_t* outs, Py_ssize_t* ks, Py_ssize_t* s,
                   Py_ssize_t* p, int mode, double div) noexcept nogil:
    # op 0: max forward  a = x (dims), b = y (outs), ix = argmax
    # op 1: max scatter  a = gy (outs), b = gx (dims, added to), ix given
    # op 2: max gather   a = src (dims), b = out (outs), ix given
    # op 3: sum forward  a = x (dims), b = y (outs)
    # op 4: sum backward a = gy (outs), b = gx (dims, added to)
    cdef Py_ssize_t insz = _prod(dims, d), osz = _prod(outs, d)
    cdef Py_ssize_t ksz = _prod(ks, d)
    cdef Py_ssize_t oidx[MAXD]
    cdef Py_ssize_t st[MAXD]
    cdef Py_ssize_t kidx[MAXD]
    cdef Py_ssize_t start[MAXD]
    cdef Py_ssize_t q, oo, kk, pos, t, cnt, bi, k
    cdef int i
    cdef bint ok
    cdef real_t best, v, acc
    cdef real_t* xs
    cdef real_t* ys
    cdef int* ii
    for i in range(d):
        oidx[i] = 0
    for q in range(nc):
        if op == 0 or op == 2 or op == 3:
            xs = a + q * insz
            ys = b + q * osz
        else:
            xs = b + q * insz
            ys = a + q * osz
        ii = ix + q * osz
        for oo in range(osz):
            cnt = 1
            for i in range(d):
                start[i] = oidx[i] * s[i] - p[i]
                t = _imin(start[i] + ks[i], dims[i]) - _imax(start[i], 0)
                cnt *= t if t > 0 else 0
            if op == 1 or op == 2:
                k = ii[oo]
                ok = True
                pos = 0
                for i in range(d - 1, -1, -1):
                    kidx[i] = k % ks[i]
                    k = k // ks[i]
                for i in range(d):
                    t = start[i] + kidx[i]
                    if t < 0 or t >= dims[i]:
                        ok = False
                        break
                    pos = pos * dims[i] + t
                if op == 1:
                    if ok:
                        xs[pos] += ys[oo]
                else:
                    ys[oo] = xs[pos] if ok else 0
            else:
                if op == 4:
                    v = ys[oo]
                    if mode == 0:
                        v = <real_t>(v / div)
                    elif mode == 1 and cnt > 0:
                        v = v / cnt
                best = -INFINITY
                bi = -1
                acc = 0
                for i in range(d):
                    kidx[i] = 0
                for kk in range(ksz):
                    ok = True
                    pos = 0
                    for i in range(d):
                        t = start[i] + kidx[i]
                        if t < 0 or t >= dims[i]:
                            ok = False
                            break
                        pos = pos * dims[i] + t
                    if ok:
                        if op == 0:
                            if bi < 0 or xs[pos] > best:
                                best = xs[pos]
                                bi = kk
                        elif op == 3:
                            acc = acc + xs[pos]
                        else:
                            xs[pos] += v
                    _next(kidx, ks, d)
                if op == 0:
                    ys[oo] = best
                    ii[oo] = bi if bi >= 0 else 0
                elif op == 3:
                    if mode == 0:
                        acc = <real_t>(acc / div)
                    elif mode == 1 and cnt > 0:
                        acc = acc / cnt
                    ys[oo] = acc
            _next(oidx, outs, d)


def pool_nd(int op, real_t[::1] a, real_t[::1] b, int[::1] ix, Py_ssize_t nc,
            tuple dims, tuple outs, tuple ksize, tuple stride, tuple pad,
            int mode=2, double div=1.0):
    """N-D pooling on flat contiguous buffers (see ``_pool_nd`` for ``op``)."""
    cdef int d = len(dims)
    cdef Py_ssize_t di[MAXD]
    cdef Py_ssize_t o[MAXD]
    cdef Py_ssize_t k[MAXD]
    cdef Py_ssize_t s[MAXD]
    cdef Py_ssize_t p[MAXD]
    if d < 1 or d > MAXD:
        raise ValueError('pool_nd: 1 to %d spatial dimensions, got %d' % (MAXD, d))
    if op < 0 or op > 4:
        raise ValueError('pool_nd: bad op %d' % op)
    _load(dims, di, d); _load(outs, o, d); _load(ksize, k, d)
    _load(stride, s, d); _load(pad, p, d)
    cdef Py_ssize_t insz = nc * _prod(di, d), osz = nc * _prod(o, d)
    cdef Py_ssize_t na = insz if op in (0, 2, 3) else osz
    cdef Py_ssize_t nb = osz if op in (0, 2, 3) else insz
    if a.shape[0] != na or b.shape[0] != nb or (op <= 2 and ix.shape[0] != osz):
        raise ValueError('pool_nd: buffer sizes do not match the geometry')
    if osz == 0 or insz == 0:
        return
    cdef int dummy = 0
    cdef int* ip = &ix[0] if ix.shape[0] > 0 else &dummy
    with nogil:
        _pool_nd(op, &a[0], &b[0], ip, nc, d, di, o, k, s, p, mode, div)


# ---- 2x2 windows with stride 2 and no padding over even extents (the common case) ----

def _check_2x2(a, b, str who):
    # ``a`` (N, C, 2 oh, 2 ow) against ``b`` (N, C, oh, ow)
    if (a.shape[0] != b.shape[0] or a.shape[1] != b.shape[1]
            or a.shape[2] != 2 * b.shape[2] or a.shape[3] != 2 * b.shape[3]):
        raise ValueError('%s: shapes %s and %s do not fit 2x2 windows'
                         % (who, tuple(a.shape), tuple(b.shape)))


@cython.boundscheck(False)
@cython.wraparound(False)
def max_pool_2x2_fwd(const real_t[:, :, :, ::1] x, real_t[:, :, :, ::1] y,
                     int[:, :, :, ::1] idx):
    """``y``/``idx`` of 2x2 max pooling with stride 2 (``x`` is (N, C, 2 oh, 2 ow)).

    Ties and NaNs resolve as in :func:`max_pool_2d_fwd`: the first maximum in the
    window order (0, 0), (0, 1), (1, 0), (1, 1) wins.
    """
    _check_2x2(x, y, 'max_pool_2x2_fwd')
    _check4(y, idx, 'max_pool_2x2_fwd')
    if y.shape[2] != idx.shape[2] or y.shape[3] != idx.shape[3]:
        raise ValueError('max_pool_2x2_fwd: y and idx shapes differ')
    cdef Py_ssize_t planes = y.shape[0] * y.shape[1], oh = y.shape[2], ow = y.shape[3]
    cdef Py_ssize_t w = 2 * ow, p, oy, ox
    cdef const real_t* r0
    cdef const real_t* r1
    cdef real_t* dst
    cdef int* di
    cdef real_t best, v
    cdef int bi
    if planes == 0 or oh == 0 or ow == 0:
        return
    with nogil:
        for p in range(planes):
            for oy in range(oh):
                r0 = &x[0, 0, 0, 0] + (p * 2 * oh + 2 * oy) * w
                r1 = r0 + w
                dst = &y[0, 0, 0, 0] + (p * oh + oy) * ow
                di = &idx[0, 0, 0, 0] + (p * oh + oy) * ow
                for ox in range(ow):
                    best = r0[2 * ox]
                    bi = 0
                    v = r0[2 * ox + 1]
                    if v > best:
                        best = v
                        bi = 1
                    v = r1[2 * ox]
                    if v > best:
                        best = v
                        bi = 2
                    v = r1[2 * ox + 1]
                    if v > best:
                        best = v
                        bi = 3
                    dst[ox] = best
                    di[ox] = bi


@cython.boundscheck(False)
@cython.wraparound(False)
def max_pool_2x2_scatter(const real_t[:, :, :, ::1] gy, const int[:, :, :, ::1] idx,
                         real_t[:, :, :, ::1] gx):
    """``gx`` (N, C, 2 oh, 2 ow) = ``gy`` at the recorded 2x2 argmax, 0 elsewhere.

    Every element of ``gx`` is written (no need to zero it first); indexes outside
    [0, 4) select nothing.
    """
    _check_2x2(gx, gy, 'max_pool_2x2_scatter')
    _check4(gy, idx, 'max_pool_2x2_scatter')
    if gy.shape[2] != idx.shape[2] or gy.shape[3] != idx.shape[3]:
        raise ValueError('max_pool_2x2_scatter: gy and idx shapes differ')
    cdef Py_ssize_t planes = gy.shape[0] * gy.shape[1], oh = gy.shape[2], ow = gy.shape[3]
    cdef Py_ssize_t w = 2 * ow, p, oy, ox
    cdef real_t* r0
    cdef real_t* r1
    cdef const real_t* src
    cdef const int* di
    cdef real_t z = 0
    cdef int k
    if planes == 0 or oh == 0 or ow == 0:
        return
    with nogil:
        for p in range(planes):
            for oy in range(oh):
                r0 = &gx[0, 0, 0, 0] + (p * 2 * oh + 2 * oy) * w
                r1 = r0 + w
                src = &gy[0, 0, 0, 0] + (p * oh + oy) * ow
                di = &idx[0, 0, 0, 0] + (p * oh + oy) * ow
                for ox in range(ow):
                    r0[2 * ox] = z
                    r0[2 * ox + 1] = z
                    r1[2 * ox] = z
                    r1[2 * ox + 1] = z
                for ox in range(ow):
                    k = di[ox]
                    if 0 <= k < 4:
                        # (no data-dependent branch: a select of the row, then a store)
                        (r1 if k >= 2 else r0)[2 * ox + (k & 1)] = src[ox]
