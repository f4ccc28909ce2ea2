# cython: language_level=3
"""CPU kernels of the connection family: im2col / col2im (2-D and N-D) and the
scatter-add of :func:`~kusari.functions.embed_id`'s weight gradient.

Every kernel trusts its arguments: the Python wrappers in ``_im2col.py`` and
``embed_id.py`` validate shapes, dtypes and indices first and allocate the outputs.
The column layout is Chainer's: ``(N, C, k_1, ..., k_d, o_1, ..., o_d)``.
"""
cimport cython
from libc.string cimport memcpy, memset

ctypedef fused col_t:
    float
    double
    unsigned short   # float16 moved bit-for-bit (im2col only copies and zero-fills)

ctypedef fused real_t:
    float
    double

ctypedef fused index_t:
    int
    long long

cdef enum:
    MAXD = 8


cdef inline Py_ssize_t _ceil_div(Py_ssize_t a, Py_ssize_t b) noexcept nogil:
    # ceil(a / b) for b > 0 and any sign of a
    if a >= 0:
        return (a + b - 1) // b
    return -((-a) // b)


cdef inline void _valid_range(Py_ssize_t off, Py_ssize_t s, Py_ssize_t size,
                              Py_ssize_t nout, Py_ssize_t* lo, Py_ssize_t* hi) noexcept nogil:
    # The outputs o in [lo, hi) whose input position o * s + off lies in [0, size).
    cdef Py_ssize_t a = _ceil_div(-off, s)
    cdef Py_ssize_t b
    if a < 0:
        a = 0
    if size - 1 - off < 0:
        b = 0
    else:
        b = (size - 1 - off) // s + 1
    if b > nout:
        b = nout
    if a > b:
        a = b
    lo[0] = a
    hi[0] = b


# ---- 2-D kernels --------------------------------------------------------------------
# A block is one contiguous (oh, ow) plane of ``col``: one (n, c, ky, kx).  The part of
# a block that lies inside the input depends on (ky, kx) only, so it is computed once
# per (ky, kx) and shared by a run of blocks (consecutive images of the batch, in the
# "cn" layout (C, kh, kw, N, oh, ow), where such blocks are adjacent in memory).  Rows
# of stride 1 move in fixed-size chunks that the compiler turns into a few vector loads
# and stores, with no per-element bounds logic.

cdef extern from *:
    """
    /* d[0:m] += s[0:m]; d and s never overlap (the input image and col) */
    static inline void kusari_add_f32(float *__restrict d, const float *__restrict s,
                                      Py_ssize_t m) {
        Py_ssize_t k;
        for (k = 0; k < m; ++k) d[k] += s[k];
    }
    static inline void kusari_add_f64(double *__restrict d, const double *__restrict s,
                                      Py_ssize_t m) {
        Py_ssize_t k;
        for (k = 0; k < m; ++k) d[k] += s[k];
    }

    /* The rows of one block with a column stride sx > 1.
       gather: for each of `rows` rows (d += ow, s += rstep):
               d[0:lo] = 0, d[ox] = s[ox * sx] for lo <= ox < hi, d[hi:ow] = 0;
       scatter_add (the adjoint): d[ox * sx] += s[ox] for lo <= ox < hi
               (d += rstep, s += ow).
       The element loops are unrolled by hand (stride 2, the common case, is left to
       the vectorizer): a one-element loop runs at the speed of the instruction
       fetch, which depends on where the compiler happens to place it.  Kept out of
       line so that they get registers of their own. */
    #if defined(__GNUC__)
    #define KUSARI_NOINLINE __attribute__((noinline))
    #else
    #define KUSARI_NOINLINE
    #endif
    #define KUSARI_GATHER(NAME, T)                                                   \
    static KUSARI_NOINLINE void NAME(T *__restrict d, const T *__restrict s,         \
                                     Py_ssize_t rows, Py_ssize_t ow, Py_ssize_t lo,  \
                                     Py_ssize_t hi, Py_ssize_t sx, Py_ssize_t rstep) { \
        Py_ssize_t r, ox;                                                            \
        const T *p;                                                                  \
        for (r = 0; r < rows; ++r, d += ow, s += rstep) {                            \
            for (ox = 0; ox < lo; ++ox) d[ox] = 0;                                   \
            if (sx == 2) {                                                           \
                for (ox = lo; ox < hi; ++ox) d[ox] = s[2 * ox];                      \
            } else {                                                                 \
                p = s + lo * sx;                                                     \
                for (ox = lo; ox + 4 <= hi; ox += 4, p += 4 * sx) {                  \
                    T a0 = p[0], a1 = p[sx], a2 = p[2 * sx], a3 = p[3 * sx];         \
                    d[ox] = a0; d[ox + 1] = a1; d[ox + 2] = a2; d[ox + 3] = a3;      \
                }                                                                    \
                for (; ox < hi; ++ox, p += sx) d[ox] = *p;                           \
            }                                                                        \
            for (ox = hi; ox < ow; ++ox) d[ox] = 0;                                  \
        }                                                                            \
    }
    #define KUSARI_SCATTER_ADD(NAME, T)                                              \
    static KUSARI_NOINLINE void NAME(T *__restrict d, const T *__restrict s,         \
                                     Py_ssize_t rows, Py_ssize_t ow, Py_ssize_t lo,  \
                                     Py_ssize_t hi, Py_ssize_t sx, Py_ssize_t rstep) { \
        Py_ssize_t r, ox;                                                            \
        T *p;                                                                        \
        for (r = 0; r < rows; ++r, d += rstep, s += ow) {                            \
            p = d + lo * sx;                                                         \
            for (ox = lo; ox + 4 <= hi; ox += 4, p += 4 * sx) {                      \
                T a0 = s[ox], a1 = s[ox + 1], a2 = s[ox + 2], a3 = s[ox + 3];        \
                p[0] += a0; p[sx] += a1; p[2 * sx] += a2; p[3 * sx] += a3;           \
            }                                                                        \
            for (; ox < hi; ++ox, p += sx) *p += s[ox];                              \
        }                                                                            \
    }
    KUSARI_GATHER(kusari_gather_u16, unsigned short)
    KUSARI_GATHER(kusari_gather_f32, float)
    KUSARI_GATHER(kusari_gather_f64, double)
    KUSARI_SCATTER_ADD(kusari_scatter_add_f32, float)
    KUSARI_SCATTER_ADD(kusari_scatter_add_f64, double)
    """
    void _add_f32 "kusari_add_f32"(float* d, const float* s, Py_ssize_t m) noexcept nogil
    void _add_f64 "kusari_add_f64"(double* d, const double* s, Py_ssize_t m) noexcept nogil
    void _gather_u16 "kusari_gather_u16"(unsigned short* d, const unsigned short* s,
                                         Py_ssize_t rows, Py_ssize_t ow, Py_ssize_t lo,
                                         Py_ssize_t hi, Py_ssize_t sx,
                                         Py_ssize_t rstep) noexcept nogil
    void _gather_f32 "kusari_gather_f32"(float* d, const float* s, Py_ssize_t rows,
                                         Py_ssize_t ow, Py_ssize_t lo, Py_ssize_t hi,
                                         Py_ssize_t sx, Py_ssize_t rstep) noexcept nogil
    void _gather_f64 "kusari_gather_f64"(double* d, const double* s, Py_ssize_t rows,
                                         Py_ssize_t ow, Py_ssize_t lo, Py_ssize_t hi,
                                         Py_ssize_t sx, Py_ssize_t rstep) noexcept nogil
    void _scatter_add_f32 "kusari_scatter_add_f32"(
        float* d, const float* s, Py_ssize_t rows, Py_ssize_t ow, Py_ssize_t lo,
        Py_ssize_t hi, Py_ssize_t sx, Py_ssize_t rstep) noexcept nogil
    void _scatter_add_f64 "kusari_scatter_add_f64"(
        double* d, const double* s, Py_ssize_t rows, Py_ssize_t ow, Py_ssize_t lo,
        Py_ssize_t hi, Py_ssize_t sx, Py_ssize_t rstep) noexcept nogil


cdef enum:
    CHUNK = 8               # elements per fixed-size chunk of a row copy
    # "cn" layout: the input planes of one channel and a tile of images are visited for
    # every (ky, kx) before moving on, so that they stay in cache.  With stride 1 the
    # rows move as vectors and long sequential runs of col matter more: tiles of half a
    # typical L2; strided rows go element by element: tiles that fit the L1 cache.
    TILE_BYTES = 262144
    TILE_BYTES_STRIDED = 16384


cdef inline void _copy_row(col_t* d, const col_t* s, Py_ssize_t m) noexcept nogil:
    # d[0:m] = s[0:m] (no overlap).  The last chunk may overlap the one before it:
    # copying the same values twice is harmless.
    cdef Py_ssize_t i
    if m >= 16 * CHUNK:
        memcpy(d, s, m * sizeof(col_t))
    elif m >= CHUNK:
        i = 0
        while i + CHUNK <= m:
            memcpy(d + i, s + i, CHUNK * sizeof(col_t))
            i += CHUNK
        if i < m:
            memcpy(d + m - CHUNK, s + m - CHUNK, CHUNK * sizeof(col_t))
    elif m >= CHUNK // 2:
        memcpy(d, s, (CHUNK // 2) * sizeof(col_t))
        memcpy(d + m - CHUNK // 2, s + m - CHUNK // 2, (CHUNK // 2) * sizeof(col_t))
    else:
        for i in range(m):
            d[i] = s[i]


cdef inline void _add_row(real_t* d, const real_t* s, Py_ssize_t m) noexcept nogil:
    if real_t is float:
        _add_f32(d, s, m)
    else:
        _add_f64(d, s, m)


cdef struct _Geom:
    # One (ky, kx) of a 2-D convolution: output (oy, ox) reads input
    # (oy * sy + offy, ox * sx + offx); rows [ylo, yhi) and columns [lo, hi) of the
    # (oh, ow) block are those inside the (h, w) input.
    Py_ssize_t h, w, oh, ow, sy, sx, offy, offx, ylo, yhi, lo, hi


cdef inline void _geom(_Geom* g, Py_ssize_t ky, Py_ssize_t kx, Py_ssize_t dy,
                       Py_ssize_t dx, Py_ssize_t ph, Py_ssize_t pw) noexcept nogil:
    g.offy = ky * dy - ph
    g.offx = kx * dx - pw
    _valid_range(g.offy, g.sy, g.h, g.oh, &g.ylo, &g.yhi)
    _valid_range(g.offx, g.sx, g.w, g.ow, &g.lo, &g.hi)


cdef void _im2col_run(const col_t* src, Py_ssize_t src_step, col_t* dst,
                      Py_ssize_t dst_step, Py_ssize_t nb, const _Geom* g) noexcept nogil:
    # nb blocks sharing the geometry g: block b (contiguous (oh, ow) at dst + b *
    # dst_step) gets the patches of the input plane (h, w) at src + b * src_step.
    cdef Py_ssize_t oh = g.oh, ow = g.ow, w = g.w, sx = g.sx, sy = g.sy
    cdef Py_ssize_t lo = g.lo, hi = g.hi, ylo = g.ylo, yhi = g.yhi
    cdef Py_ssize_t b, oy, ox, head = ylo * ow, tail = (oh - yhi) * ow
    cdef Py_ssize_t rstep = sy * w
    cdef const col_t* row
    cdef col_t* d
    if yhi <= ylo or hi <= lo:
        # the whole block is padding
        for b in range(nb):
            memset(dst + b * dst_step, 0, oh * ow * sizeof(col_t))
        return
    src += (ylo * sy + g.offy) * w + g.offx
    for b in range(nb):
        row = src + b * src_step
        d = dst + b * dst_step
        if head:
            memset(d, 0, head * sizeof(col_t))
            d += head
        if sx == 1 and lo == 0 and hi == ow:
            if sy == 1 and ow == w:
                # whole rows, consecutive in both: one contiguous run
                _copy_row(d, row, (yhi - ylo) * ow)
                d += (yhi - ylo) * ow
            else:
                for oy in range(ylo, yhi):
                    _copy_row(d, row, ow)
                    d += ow
                    row += rstep
        elif sx == 1:
            for oy in range(ylo, yhi):
                for ox in range(lo):
                    d[ox] = 0
                _copy_row(d + lo, row + lo, hi - lo)
                for ox in range(hi, ow):
                    d[ox] = 0
                d += ow
                row += rstep
        else:
            if col_t is float:
                _gather_f32(d, row, yhi - ylo, ow, lo, hi, sx, rstep)
            elif col_t is double:
                _gather_f64(d, row, yhi - ylo, ow, lo, hi, sx, rstep)
            else:
                _gather_u16(d, row, yhi - ylo, ow, lo, hi, sx, rstep)
            d += (yhi - ylo) * ow
        if tail:
            memset(d, 0, tail * sizeof(col_t))


cdef void _col2im_run(const real_t* src, Py_ssize_t src_step, real_t* dst,
                      Py_ssize_t dst_step, Py_ssize_t nb, const _Geom* g) noexcept nogil:
    # The adjoint of _im2col_run: the input plane at dst + b * dst_step += the block
    # at src + b * src_step, for b < nb.
    cdef Py_ssize_t ow = g.ow, w = g.w, sx = g.sx, sy = g.sy
    cdef Py_ssize_t lo = g.lo, hi = g.hi, ylo = g.ylo, yhi = g.yhi
    cdef Py_ssize_t b, oy, rstep = sy * w
    cdef const real_t* s
    cdef real_t* row
    if yhi <= ylo or hi <= lo:
        return
    src += ylo * ow
    dst += (ylo * sy + g.offy) * w + g.offx
    for b in range(nb):
        s = src + b * src_step
        row = dst + b * dst_step
        if sx == 1:
            if lo == 0 and hi == ow and sy == 1 and ow == w:
                _add_row(row, s, (yhi - ylo) * ow)
            else:
                for oy in range(ylo, yhi):
                    _add_row(row + lo, s + lo, hi - lo)
                    s += ow
                    row += rstep
        elif real_t is float:
            _scatter_add_f32(row, s, yhi - ylo, ow, lo, hi, sx, rstep)
        else:
            _scatter_add_f64(row, s, yhi - ylo, ow, lo, hi, sx, rstep)


cdef int _setup_2d(str who, Py_ssize_t* xshape, Py_ssize_t* xstrides,
                   Py_ssize_t* cshape, Py_ssize_t* cstrides, Py_ssize_t itemsize,
                   Py_ssize_t sy, Py_ssize_t sx, _Geom* g) except -1:
    # Validate x (N, C, h, w) against col (N, C, kh, kw, oh, ow) and fill the
    # geometry shared by every (ky, kx); returns 1 when there is nothing to do.
    if cshape[0] != xshape[0] or cshape[1] != xshape[1]:
        raise ValueError(who + ': col and x differ in batch or channels')
    if sy < 1 or sx < 1:
        raise ValueError(who + ': strides must be positive')
    g.h = xshape[2]
    g.w = xshape[3]
    g.oh = cshape[4]
    g.ow = cshape[5]
    g.sy = sy
    g.sx = sx
    if ((g.ow > 1 and cstrides[5] != itemsize) or
            (g.oh > 1 and cstrides[4] != g.ow * itemsize)):
        raise ValueError(who + ': the (oh, ow) blocks of col must be contiguous')
    if g.h > 1 and xstrides[2] != g.w * itemsize:
        raise ValueError(who + ': the (h, w) planes of x must be contiguous')
    if (xshape[0] == 0 or xshape[1] == 0 or cshape[2] == 0 or cshape[3] == 0
            or g.oh == 0 or g.ow == 0):
        return 1
    return 0


@cython.boundscheck(False)
@cython.wraparound(False)
def im2col_2d(col_t[:, :, :, ::1] x, col_t[:, :, :, :, :, :] col,
              Py_ssize_t sy, Py_ssize_t sx, Py_ssize_t ph, Py_ssize_t pw,
              Py_ssize_t dy, Py_ssize_t dx):
    """Fill ``col`` (N, C, kh, kw, oh, ow) with the patches of ``x`` (N, C, h, w).

    ``col`` may be a transposed view (e.g. of a (C, kh, kw, N, oh, ow) buffer) as long
    as each (oh, ow) block is contiguous.
    """
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1]
    cdef Py_ssize_t kh = col.shape[2], kw = col.shape[3]
    cdef Py_ssize_t i, j, ky, kx, xstep, cstep, i0, nt, m
    cdef _Geom g
    if _setup_2d('im2col_2d', x.shape, x.strides, col.shape, col.strides,
                 sizeof(col_t), sy, sx, &g):
        return
    # element steps between images (all strides are multiples of the item size)
    xstep = x.strides[0] // <Py_ssize_t>sizeof(col_t)
    cstep = col.strides[0] // <Py_ssize_t>sizeof(col_t)
    with nogil:
        if col.strides[0] < col.strides[3]:
            # the "cn" layout (C, kh, kw, N, oh, ow): the batch is innermost in col;
            # one run covers a tile of images, so col is written in runs of whole
            # tiles while the tile's input planes stay in cache
            nt = (TILE_BYTES if sx == 1 else TILE_BYTES_STRIDED) // (
                g.h * g.w * <Py_ssize_t>sizeof(col_t) + 1)
            if nt < 1:
                nt = 1
            for j in range(c):
                i0 = 0
                while i0 < n:
                    m = nt if nt < n - i0 else n - i0
                    for ky in range(kh):
                        for kx in range(kw):
                            _geom(&g, ky, kx, dy, dx, ph, pw)
                            _im2col_run(&x[i0, j, 0, 0], xstep, &col[i0, j, ky, kx, 0, 0],
                                        cstep, m, &g)
                    i0 += m
        else:
            for i in range(n):
                for j in range(c):
                    for ky in range(kh):
                        for kx in range(kw):
                            _geom(&g, ky, kx, dy, dx, ph, pw)
                            _im2col_run(&x[i, j, 0, 0], xstep,
                                        &col[i, j, ky, kx, 0, 0], cstep, 1, &g)


@cython.boundscheck(False)
@cython.wraparound(False)
def col2im_2d(real_t[:, :, :, :, :, :] col, real_t[:, :, :, ::1] x,
              Py_ssize_t sy, Py_ssize_t sx, Py_ssize_t ph, Py_ssize_t pw,
              Py_ssize_t dy, Py_ssize_t dx):
    """Add every patch of ``col`` (N, C, kh, kw, oh, ow) into ``x`` (N, C, h, w).

    As in :func:`im2col_2d`, only the (oh, ow) blocks of ``col`` need be contiguous.
    """
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1]
    cdef Py_ssize_t kh = col.shape[2], kw = col.shape[3]
    cdef Py_ssize_t i, j, ky, kx, xstep, cstep, i0, nt, m
    cdef _Geom g
    if _setup_2d('col2im_2d', x.shape, x.strides, col.shape, col.strides,
                 sizeof(real_t), sy, sx, &g):
        return
    xstep = x.strides[0] // <Py_ssize_t>sizeof(real_t)
    cstep = col.strides[0] // <Py_ssize_t>sizeof(real_t)
    with nogil:
        if col.strides[0] < col.strides[3]:
            # "cn" layout: runs over a tile of images whose planes of channel j stay
            # in cache while every (ky, kx) is added into them (each element still
            # sums its (ky, kx) terms in ascending order, as in the other order)
            nt = (TILE_BYTES if sx == 1 else TILE_BYTES_STRIDED) // (
                g.h * g.w * <Py_ssize_t>sizeof(real_t) + 1)
            if nt < 1:
                nt = 1
            for j in range(c):
                i0 = 0
                while i0 < n:
                    m = nt if nt < n - i0 else n - i0
                    for ky in range(kh):
                        for kx in range(kw):
                            _geom(&g, ky, kx, dy, dx, ph, pw)
                            _col2im_run(&col[i0, j, ky, kx, 0, 0], cstep,
                                        &x[i0, j, 0, 0], xstep, m, &g)
                    i0 += m
        else:
            for i in range(n):
                for j in range(c):
                    for ky in range(kh):
                        for kx in range(kw):
                            _geom(&g, ky, kx, dy, dx, ph, pw)
                            _col2im_run(&col[i, j, ky, kx, 0, 0], cstep,
                                        &x[i, j, 0, 0], xstep, 1, &g)


cdef inline Py_ssize_t _prod(Py_ssize_t* a, int d) noexcept nogil:
    cdef Py_ssize_t p = 1
    cdef int i
    for i in range(d):
        p *= a[i]
    return p


cdef int _load(tuple t, Py_ssize_t* out, int d) except -1:
    cdef int i
    if len(t) != d:
        raise ValueError('expected %d values, got %d' % (d, len(t)))
    for i in range(d):
        out[i] = t[i]
    return 0


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _nd_loop(col_t* x, col_t* col, Py_ssize_t nb, Py_ssize_t nch, int d,
                   Py_ssize_t* dims, Py_ssize_t* ks, Py_ssize_t* outs, Py_ssize_t* s,
                   Py_ssize_t* p, Py_ssize_t* dl, bint add, bint cn) noexcept nogil:
    # add == False: col[k, o] = x[o * s - p + k * dl] (0 outside);
    # add == True:  x[o * s - p + k * dl] += col[k, o]   (only for real types)
    cdef Py_ssize_t insz = _prod(dims, d), ksz = _prod(ks, d), osz = _prod(outs, d)
    cdef Py_ssize_t kidx[MAXD]
    cdef Py_ssize_t oidx[MAXD]
    cdef Py_ssize_t base[MAXD]
    cdef Py_ssize_t strd[MAXD]
    cdef Py_ssize_t q, kk, oo, pos, a, t
    cdef int i
    cdef bint ok
    cdef col_t* xs
    cdef col_t* cs
    strd[d - 1] = 1
    for i in range(d - 2, -1, -1):
        strd[i] = strd[i + 1] * dims[i + 1]
    # col is (N, C, K, O) when not cn, (C, K, N, O) when cn; O is contiguous
    cdef Py_ssize_t sn = nch * ksz * osz, sc = ksz * osz, sk = osz
    if cn:
        sn = osz
        sc = ksz * nb * osz
        sk = nb * osz
    for q in range(nb * nch):
        xs = x + q * insz
        cs = col + (q // nch) * sn + (q % nch) * sc
        for i in range(d):
            kidx[i] = 0
        for kk in range(ksz):
            for i in range(d):
                base[i] = kidx[i] * dl[i] - p[i]
                oidx[i] = 0
            for oo in range(osz):
                ok = True
                pos = 0
                for i in range(d):
                    a = base[i] + oidx[i] * s[i]
                    if a < 0 or a >= dims[i]:
                        ok = False
                        break
                    pos += a * strd[i]
                if add:
                    if ok:
                        xs[pos] += cs[oo]
                else:
                    if ok:
                        cs[oo] = xs[pos]
                    else:
                        cs[oo] = 0
                # advance the output odometer
                i = d - 1
                while i >= 0:
                    oidx[i] += 1
                    if oidx[i] < outs[i]:
                        break
                    oidx[i] = 0
                    i -= 1
            cs += sk
            i = d - 1
            while i >= 0:
                kidx[i] += 1
                if kidx[i] < ks[i]:
                    break
                kidx[i] = 0
                i -= 1


def im2col_nd(col_t[::1] x, col_t[::1] col, Py_ssize_t nb, Py_ssize_t nch, tuple dims,
              tuple ksize, tuple outs, tuple stride, tuple pad, tuple dilate, bint cn):
    """N-D im2col on flat contiguous buffers: ``x`` is (nb, nch, *dims); ``col`` is
    (nb, nch, *ksize, *outs), or (nch, *ksize, nb, *outs) when ``cn``."""
    cdef Py_ssize_t nc = nb * nch
    cdef int d = len(dims)
    cdef Py_ssize_t a[MAXD]
    cdef Py_ssize_t k[MAXD]
    cdef Py_ssize_t o[MAXD]
    cdef Py_ssize_t s[MAXD]
    cdef Py_ssize_t p[MAXD]
    cdef Py_ssize_t dl[MAXD]
    if d < 1 or d > MAXD:
        raise ValueError('im2col_nd: 1 to %d spatial dimensions, got %d' % (MAXD, d))
    _load(dims, a, d); _load(ksize, k, d); _load(outs, o, d)
    _load(stride, s, d); _load(pad, p, d); _load(dilate, dl, d)
    if x.shape[0] != nc * _prod(a, d) or col.shape[0] != nc * _prod(k, d) * _prod(o, d):
        raise ValueError('im2col_nd: buffer sizes do not match the geometry')
    if nc == 0 or col.shape[0] == 0:
        return
    with nogil:
        _nd_loop(&x[0], &col[0], nb, nch, d, a, k, o, s, p, dl, False, cn)


def col2im_nd(real_t[::1] col, real_t[::1] x, Py_ssize_t nb, Py_ssize_t nch, tuple dims,
              tuple ksize, tuple outs, tuple stride, tuple pad, tuple dilate, bint cn):
    """N-D col2im on flat contiguous buffers (layouts as in :func:`im2col_nd`; ``x``
    must be zero-filled: it is added to)."""
    cdef Py_ssize_t nc = nb * nch
    cdef int d = len(dims)
    cdef Py_ssize_t a[MAXD]
    cdef Py_ssize_t k[MAXD]
    cdef Py_ssize_t o[MAXD]
    cdef Py_ssize_t s[MAXD]
    cdef Py_ssize_t p[MAXD]
    cdef Py_ssize_t dl[MAXD]
    if d < 1 or d > MAXD:
        raise ValueError('col2im_nd: 1 to %d spatial dimensions, got %d' % (MAXD, d))
    _load(dims, a, d); _load(ksize, k, d); _load(outs, o, d)
    _load(stride, s, d); _load(pad, p, d); _load(dilate, dl, d)
    if x.shape[0] != nc * _prod(a, d) or col.shape[0] != nc * _prod(k, d) * _prod(o, d):
        raise ValueError('col2im_nd: buffer sizes do not match the geometry')
    if nc == 0 or col.shape[0] == 0:
        return
    with nogil:
        _nd_loop(&x[0], &col[0], nb, nch, d, a, k, o, s, p, dl, True, cn)


@cython.boundscheck(False)
@cython.wraparound(False)
def embed_grad(const index_t[::1] ids, real_t[:, ::1] gy, real_t[:, ::1] gW,
               long long ignore_label, bint has_ignore):
    """``gW[ids[i]] += gy[i]`` for every ``i`` (skipping ``ignore_label``).

    The caller guarantees ``0 <= ids[i] < gW.shape[0]`` for every id that is not
    ignored, and ``gy.shape == (len(ids), gW.shape[1])``.
    """
    cdef Py_ssize_t n = ids.shape[0], m = gW.shape[1], i, j
    cdef long long v
    if gy.shape[0] != n or gy.shape[1] != m:
        raise ValueError('embed_grad: gy shape does not match ids and gW')
    with nogil:
        for i in range(n):
            v = ids[i]
            if has_ignore and v == ignore_label:
                continue
            for j in range(m):
                gW[v, j] += gy[i, j]
