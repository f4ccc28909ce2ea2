# cython: language_level=3
"""CPU kernels of the connection family: im2col / col2im (2-D and N-D) and the
scatter-add of :func:`~kusari.functions.embed_id`'s weight gradient.

Every kernel trusts its arguments: the Python wrappers in ``_im2col.py`` and
``embed_id.py`` validate shapes, dtypes and indices first and allocate the outputs.
The column layout is Chainer's: ``(N, C, k_1, ..., k_d, o_1, ..., o_d)``.
"""
cimport cython
from libc.string cimport memset

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


@cython.boundscheck(False)
@cython.wraparound(False)
def im2col_2d(col_t[:, :, :, ::1] x, col_t[:, :, :, :, :, :] col,
              Py_ssize_t sy, Py_ssize_t sx, Py_ssize_t ph, Py_ssize_t pw,
              Py_ssize_t dy, Py_ssize_t dx):
    """Fill ``col`` (N, C, kh, kw, oh, ow) with the patches of ``x`` (N, C, h, w).

    ``col`` may be a transposed view (e.g. of a (C, kh, kw, N, oh, ow) buffer) as long
    as each (oh, ow) block is contiguous.
    """
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    cdef Py_ssize_t kh = col.shape[2], kw = col.shape[3]
    cdef Py_ssize_t oh = col.shape[4], ow = col.shape[5]
    cdef Py_ssize_t i, j, ky, kx, oy, ox, iy, offx
    cdef Py_ssize_t lo = 0, hi = 0, ylo = 0, yhi = 0
    cdef col_t* src
    cdef col_t* dst
    cdef col_t* row
    if col.shape[0] != n or col.shape[1] != c:
        raise ValueError('im2col_2d: col and x differ in batch or channels')
    if ((ow > 1 and col.strides[5] != <Py_ssize_t>sizeof(col_t)) or
            (oh > 1 and col.strides[4] != ow * <Py_ssize_t>sizeof(col_t))):
        raise ValueError('im2col_2d: the (oh, ow) blocks of col must be contiguous')
    with nogil:
        for i in range(n):
            for j in range(c):
                src = &x[i, j, 0, 0]
                for ky in range(kh):
                    _valid_range(ky * dy - ph, sy, h, oh, &ylo, &yhi)
                    for kx in range(kw):
                        dst = &col[i, j, ky, kx, 0, 0]
                        offx = kx * dx - pw
                        _valid_range(offx, sx, w, ow, &lo, &hi)
                        for oy in range(oh):
                            if oy < ylo or oy >= yhi:
                                memset(dst, 0, ow * sizeof(col_t))
                            else:
                                iy = oy * sy + ky * dy - ph
                                row = src + iy * w + offx
                                for ox in range(lo):
                                    dst[ox] = 0
                                if sx == 1:
                                    for ox in range(lo, hi):
                                        dst[ox] = row[ox]
                                else:
                                    for ox in range(lo, hi):
                                        dst[ox] = row[ox * sx]
                                for ox in range(hi, ow):
                                    dst[ox] = 0
                            dst += ow


@cython.boundscheck(False)
@cython.wraparound(False)
def col2im_2d(real_t[:, :, :, :, :, :] col, real_t[:, :, :, ::1] x,
              Py_ssize_t sy, Py_ssize_t sx, Py_ssize_t ph, Py_ssize_t pw,
              Py_ssize_t dy, Py_ssize_t dx):
    """Add every patch of ``col`` (N, C, kh, kw, oh, ow) into ``x`` (N, C, h, w).

    As in :func:`im2col_2d`, only the (oh, ow) blocks of ``col`` need be contiguous.
    """
    cdef Py_ssize_t n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    cdef Py_ssize_t kh = col.shape[2], kw = col.shape[3]
    cdef Py_ssize_t oh = col.shape[4], ow = col.shape[5]
    cdef Py_ssize_t i, j, ky, kx, oy, ox, iy, offx
    cdef Py_ssize_t lo = 0, hi = 0, ylo = 0, yhi = 0
    cdef real_t* src
    cdef real_t* dst
    cdef real_t* row
    if col.shape[0] != n or col.shape[1] != c:
        raise ValueError('col2im_2d: col and x differ in batch or channels')
    if ((ow > 1 and col.strides[5] != <Py_ssize_t>sizeof(real_t)) or
            (oh > 1 and col.strides[4] != ow * <Py_ssize_t>sizeof(real_t))):
        raise ValueError('col2im_2d: the (oh, ow) blocks of col must be contiguous')
    with nogil:
        for i in range(n):
            for j in range(c):
                dst = &x[i, j, 0, 0]
                for ky in range(kh):
                    _valid_range(ky * dy - ph, sy, h, oh, &ylo, &yhi)
                    for kx in range(kw):
                        src = &col[i, j, ky, kx, 0, 0]
                        offx = kx * dx - pw
                        _valid_range(offx, sx, w, ow, &lo, &hi)
                        for oy in range(ylo, yhi):
                            iy = oy * sy + ky * dy - ph
                            row = dst + iy * w + offx
                            if sx == 1:
                                for ox in range(lo, hi):
                                    row[ox] += src[oy * ow + ox]
                            else:
                                for ox in range(lo, hi):
                                    row[ox * sx] += src[oy * ow + ox]


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
