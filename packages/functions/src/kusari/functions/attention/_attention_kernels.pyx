# cython: language_level=3
"""Fused CPU kernels of scaled dot-product attention (flash-attention style).

The forward pass walks, for each (batch, head) and each block of ``_BQ`` query rows,
over the keys in blocks of ``_BK``: it computes one ``_BQ x _BK`` tile of scores
``S = scale * Q K^T (+ mask)``, folds it into a running row maximum ``m``, a running
sum ``l`` of ``exp(S - m)`` and the output rows (rescaled whenever ``m`` grows; the
"online softmax"), and drops the tile.  At the end ``out = acc / l`` and the
log-sum-exp ``lse = m + log(l)`` of every row is kept for the backward pass, which
recomputes each tile of probabilities ``P = exp(S - lse)`` instead of storing them.
No more than one tile of the ``Lq x Lk`` attention matrix ever exists; the scratch
space is allocated with NumPy (so ``tracemalloc`` accounts for it).

Dropout of the attention probabilities draws its keep/drop decision of entry
``(b, h, i, j)`` from a counter-based hash (SplitMix64) of ``seed`` and the flat index
``((b * H + h) * Lq + i) * Lk + j``, so the backward pass (and the GPU kernel and
:func:`dropout_keep`) reproduce it without storing a mask.

Shapes and dtypes are validated in the ``def`` wrappers before any loop runs; the
loops index within the validated extents only.
"""
cimport cython
from libc.math cimport INFINITY, exp, log

import numpy

cdef Py_ssize_t _BQ = 32
cdef Py_ssize_t _BK = 64

ctypedef fused real:
    float
    double


cdef inline double _uniform(unsigned long long seed,
                            unsigned long long idx) noexcept nogil:
    cdef unsigned long long z = seed + (idx + 1) * <unsigned long long>0x9E3779B97F4A7C15
    z = (z ^ (z >> 30)) * <unsigned long long>0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) * <unsigned long long>0x94D049BB133111EB
    z = z ^ (z >> 31)
    return <double>(z >> 11) * (1.0 / 9007199254740992.0)


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
cdef void _scores(const real[:, :, :, ::1] q, const real[:, :, :, ::1] k,
                  const unsigned char[:, :, :, :] bmask, const real[:, :, :, :] fmask,
                  int mask_kind, bint causal, double scale,
                  Py_ssize_t b, Py_ssize_t h, Py_ssize_t i0, Py_ssize_t nq,
                  Py_ssize_t j0, Py_ssize_t nk, real[:, ::1] s) noexcept nogil:
    """The score tile ``s[ii, jj]`` of query ``i0 + ii`` and key ``j0 + jj``."""
    cdef Py_ssize_t ii, jj, d, i, j
    cdef Py_ssize_t D = q.shape[3]
    cdef const real* qi
    cdef const real* kj
    cdef double acc0, acc1
    for ii in range(nq):
        i = i0 + ii
        qi = &q[b, h, i, 0]
        for jj in range(nk):
            j = j0 + jj
            if (causal and j > i) or (mask_kind == 1 and bmask[b, h, i, j] == 0):
                s[ii, jj] = -INFINITY
                continue
            kj = &k[b, h, j, 0]
            acc0 = 0
            acc1 = 0
            d = 0
            while d + 1 < D:
                acc0 += qi[d] * kj[d]
                acc1 += qi[d + 1] * kj[d + 1]
                d += 2
            if d < D:
                acc0 += qi[d] * kj[d]
            acc0 = (acc0 + acc1) * scale
            if mask_kind == 2:
                acc0 += fmask[b, h, i, j]
            s[ii, jj] = <real>acc0


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
cdef void _forward_impl(const real[:, :, :, ::1] q, const real[:, :, :, ::1] k,
                        const real[:, :, :, ::1] v,
                        const unsigned char[:, :, :, :] bmask,
                        const real[:, :, :, :] fmask, int mask_kind, bint causal,
                        double scale, double ratio, unsigned long long seed,
                        real[:, :, :, ::1] out, real[:, :, ::1] lse,
                        real[:, ::1] s, double[::1] m, double[::1] l) noexcept nogil:
    cdef Py_ssize_t B = q.shape[0], H = q.shape[1], Lq = q.shape[2]
    cdef Py_ssize_t Lk = k.shape[2], Dv = v.shape[3]
    cdef Py_ssize_t b, h, i0, j0, nq, nk, kend, ii, jj, d, i, j
    cdef double mx, m_new, alpha, p, inv_keep = 1.0
    cdef bint dropout = ratio > 0
    cdef real* oi
    cdef const real* vj
    cdef real pr
    cdef unsigned long long base
    if dropout:
        inv_keep = 1.0 / (1.0 - ratio)
    for b in range(B):
        for h in range(H):
            i0 = 0
            while i0 < Lq:
                nq = _BQ if i0 + _BQ <= Lq else Lq - i0
                for ii in range(nq):
                    m[ii] = -INFINITY
                    l[ii] = 0
                    oi = &out[b, h, i0 + ii, 0]
                    for d in range(Dv):
                        oi[d] = 0
                kend = Lk
                if causal and i0 + nq < Lk:
                    kend = i0 + nq
                j0 = 0
                while j0 < kend:
                    nk = _BK if j0 + _BK <= kend else kend - j0
                    _scores(q, k, bmask, fmask, mask_kind, causal, scale, b, h, i0, nq,
                            j0, nk, s)
                    for ii in range(nq):
                        i = i0 + ii
                        mx = -INFINITY
                        for jj in range(nk):
                            if s[ii, jj] > mx:
                                mx = s[ii, jj]
                        if mx == -INFINITY:
                            continue
                        m_new = mx if mx > m[ii] else m[ii]
                        oi = &out[b, h, i, 0]
                        if m_new != m[ii]:
                            alpha = exp(m[ii] - m_new)
                            l[ii] *= alpha
                            for d in range(Dv):
                                oi[d] = <real>(oi[d] * alpha)
                            m[ii] = m_new
                        base = <unsigned long long>(((b * H + h) * Lq + i) * Lk)
                        for jj in range(nk):
                            if s[ii, jj] == -INFINITY:
                                continue
                            j = j0 + jj
                            p = exp(s[ii, jj] - m_new)
                            l[ii] += p
                            if dropout:
                                if _uniform(seed, base + <unsigned long long>j) < ratio:
                                    continue
                                p *= inv_keep
                            pr = <real>p
                            vj = &v[b, h, j, 0]
                            for d in range(Dv):
                                oi[d] += pr * vj[d]
                    j0 += nk
                for ii in range(nq):
                    i = i0 + ii
                    oi = &out[b, h, i, 0]
                    if l[ii] > 0:
                        alpha = 1.0 / l[ii]
                        for d in range(Dv):
                            oi[d] = <real>(oi[d] * alpha)
                        lse[b, h, i] = <real>(m[ii] + log(l[ii]))
                    else:
                        lse[b, h, i] = -INFINITY
                i0 += nq


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
cdef void _backward_impl(const real[:, :, :, ::1] q, const real[:, :, :, ::1] k,
                         const real[:, :, :, ::1] v, const real[:, :, :, ::1] out,
                         const real[:, :, :, ::1] gout, const real[:, :, ::1] lse,
                         const unsigned char[:, :, :, :] bmask,
                         const real[:, :, :, :] fmask, int mask_kind, bint causal,
                         double scale, double ratio, unsigned long long seed,
                         real[:, :, :, ::1] gq, real[:, :, :, ::1] gk,
                         real[:, :, :, ::1] gv, real[:, ::1] s,
                         double[::1] drow) noexcept nogil:
    cdef Py_ssize_t B = q.shape[0], H = q.shape[1], Lq = q.shape[2]
    cdef Py_ssize_t Lk = k.shape[2], D = q.shape[3], Dv = v.shape[3]
    cdef Py_ssize_t b, h, i0, j0, nq, nk, kend, ii, jj, d, i, j
    cdef double p, pd, dp, ds, acc, li, inv_keep = 1.0, keep
    cdef bint dropout = ratio > 0
    cdef const real* gi
    cdef const real* oi
    cdef const real* vj
    cdef const real* kj
    cdef const real* qi
    cdef real* gqi
    cdef real* gkj
    cdef real* gvj
    cdef real c
    cdef unsigned long long base
    if dropout:
        inv_keep = 1.0 / (1.0 - ratio)
    for b in range(B):
        for h in range(H):
            i0 = 0
            while i0 < Lq:
                nq = _BQ if i0 + _BQ <= Lq else Lq - i0
                for ii in range(nq):
                    gi = &gout[b, h, i0 + ii, 0]
                    oi = &out[b, h, i0 + ii, 0]
                    acc = 0
                    for d in range(Dv):
                        acc += gi[d] * oi[d]
                    drow[ii] = acc
                kend = Lk
                if causal and i0 + nq < Lk:
                    kend = i0 + nq
                j0 = 0
                while j0 < kend:
                    nk = _BK if j0 + _BK <= kend else kend - j0
                    _scores(q, k, bmask, fmask, mask_kind, causal, scale, b, h, i0, nq,
                            j0, nk, s)
                    for ii in range(nq):
                        i = i0 + ii
                        li = lse[b, h, i]
                        if li == -INFINITY:
                            continue
                        gi = &gout[b, h, i, 0]
                        qi = &q[b, h, i, 0]
                        gqi = &gq[b, h, i, 0]
                        base = <unsigned long long>(((b * H + h) * Lq + i) * Lk)
                        for jj in range(nk):
                            if s[ii, jj] == -INFINITY:
                                continue
                            j = j0 + jj
                            p = exp(s[ii, jj] - li)
                            keep = 1.0
                            if dropout:
                                if _uniform(seed, base + <unsigned long long>j) < ratio:
                                    keep = 0.0
                                else:
                                    keep = inv_keep
                            vj = &v[b, h, j, 0]
                            gvj = &gv[b, h, j, 0]
                            dp = 0
                            if keep != 0:
                                pd = p * keep
                                c = <real>pd
                                for d in range(Dv):
                                    dp += gi[d] * vj[d]
                                    gvj[d] += c * gi[d]
                                dp *= keep
                            ds = p * (dp - drow[ii]) * scale
                            c = <real>ds
                            kj = &k[b, h, j, 0]
                            gkj = &gk[b, h, j, 0]
                            for d in range(D):
                                gqi[d] += c * kj[d]
                                gkj[d] += c * qi[d]
                    j0 += nk
                i0 += nq


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _keep_impl(unsigned long long seed, double ratio,
                     unsigned char[::1] keep) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(keep.shape[0]):
        keep[i] = _uniform(seed, <unsigned long long>i) >= ratio


def _check_4d(name, a, shape, dtype):
    if a.ndim != 4 or a.shape != shape:
        raise ValueError('%s: %s must have shape %s, got %s' % (name, 'array', shape,
                                                                a.shape))
    if a.dtype != dtype:
        raise ValueError('%s: dtype %s expected, got %s' % (name, dtype, a.dtype))


def _validate(q, k, v, bmask, fmask, mask_kind):
    if q.dtype != numpy.float32 and q.dtype != numpy.float64:
        raise TypeError('_attention_kernels: q must be float32 or float64, got %s'
                        % q.dtype)
    if q.ndim != 4 or k.ndim != 4 or v.ndim != 4:
        raise ValueError('_attention_kernels: q, k, v must be 4-d')
    B, H, Lq, D = q.shape
    Lk = k.shape[2]
    Dv = v.shape[3]
    if D < 1 or Dv < 1:
        raise ValueError('_attention_kernels: feature sizes must be positive')
    _check_4d('_attention_kernels (k)', k, (B, H, Lk, D), q.dtype)
    _check_4d('_attention_kernels (v)', v, (B, H, Lk, Dv), q.dtype)
    if mask_kind not in (0, 1, 2):
        raise ValueError('_attention_kernels: mask_kind must be 0, 1 or 2')
    if mask_kind == 1:
        _check_4d('_attention_kernels (bool mask)', bmask, (B, H, Lq, Lk), numpy.uint8)
    if mask_kind == 2:
        _check_4d('_attention_kernels (float mask)', fmask, (B, H, Lq, Lk), q.dtype)
    return B, H, Lq, Lk, D, Dv


def _dummy_masks(bmask, fmask, mask_kind, dtype):
    if mask_kind != 1:
        bmask = numpy.ones((1, 1, 1, 1), numpy.uint8)
    if mask_kind != 2:
        fmask = numpy.zeros((1, 1, 1, 1), dtype)
    return bmask, fmask


def forward(q, k, v, bmask, fmask, int mask_kind, bint causal, double scale,
            double ratio, unsigned long long seed):
    """Attention output ``(B, H, Lq, Dv)`` and row log-sum-exp ``(B, H, Lq)``.

    Args:
        q, k, v: C-contiguous float32/float64 arrays ``(B, H, Lq, D)``,
            ``(B, H, Lk, D)``, ``(B, H, Lk, Dv)``.
        bmask: uint8 array (any strides) of shape ``(B, H, Lq, Lk)``, nonzero = keep
            (used when ``mask_kind == 1``).
        fmask: additive float mask of shape ``(B, H, Lq, Lk)`` and q's dtype (used when
            ``mask_kind == 2``).
        causal: keep only keys ``j <= i``.
        scale: the factor of ``Q K^T``.
        ratio: dropout ratio of the probabilities (0: none), with ``seed``.

    Rows whose keys are all masked get a zero output and ``lse = -inf``.
    """
    B, H, Lq, Lk, D, Dv = _validate(q, k, v, bmask, fmask, mask_kind)
    if not 0.0 <= ratio < 1.0:
        raise ValueError('_attention_kernels: ratio must be in [0, 1)')
    bmask, fmask = _dummy_masks(bmask, fmask, mask_kind, q.dtype)
    out = numpy.empty((B, H, Lq, Dv), q.dtype)
    lse = numpy.empty((B, H, Lq), q.dtype)
    s = numpy.empty((_BQ, _BK), q.dtype)
    m = numpy.empty(_BQ, numpy.float64)
    l = numpy.empty(_BQ, numpy.float64)
    if q.dtype == numpy.float32:
        _forward_f32(q, k, v, bmask, fmask, mask_kind, causal, scale, ratio, seed, out,
                     lse, s, m, l)
    else:
        _forward_f64(q, k, v, bmask, fmask, mask_kind, causal, scale, ratio, seed, out,
                     lse, s, m, l)
    return out, lse


cdef _forward_f32(const float[:, :, :, ::1] q, const float[:, :, :, ::1] k,
                  const float[:, :, :, ::1] v, const unsigned char[:, :, :, :] bmask,
                  const float[:, :, :, :] fmask, int mask_kind, bint causal,
                  double scale, double ratio, unsigned long long seed,
                  float[:, :, :, ::1] out, float[:, :, ::1] lse, float[:, ::1] s,
                  double[::1] m, double[::1] l):
    with nogil:
        _forward_impl(q, k, v, bmask, fmask, mask_kind, causal, scale, ratio, seed,
                      out, lse, s, m, l)


cdef _forward_f64(const double[:, :, :, ::1] q, const double[:, :, :, ::1] k,
                  const double[:, :, :, ::1] v, const unsigned char[:, :, :, :] bmask,
                  const double[:, :, :, :] fmask, int mask_kind, bint causal,
                  double scale, double ratio, unsigned long long seed,
                  double[:, :, :, ::1] out, double[:, :, ::1] lse, double[:, ::1] s,
                  double[::1] m, double[::1] l):
    with nogil:
        _forward_impl(q, k, v, bmask, fmask, mask_kind, causal, scale, ratio, seed,
                      out, lse, s, m, l)


def backward(q, k, v, out, gout, lse, bmask, fmask, int mask_kind, bint causal,
             double scale, double ratio, unsigned long long seed):
    """Gradients ``(gq, gk, gv)`` of the attention from those of its output.

    ``out`` and ``lse`` are what :func:`forward` returned for the same arguments;
    ``gout`` (C-contiguous, q's dtype) is the gradient of ``out``.
    """
    B, H, Lq, Lk, D, Dv = _validate(q, k, v, bmask, fmask, mask_kind)
    if not 0.0 <= ratio < 1.0:
        raise ValueError('_attention_kernels: ratio must be in [0, 1)')
    _check_4d('_attention_kernels (out)', out, (B, H, Lq, Dv), q.dtype)
    _check_4d('_attention_kernels (gout)', gout, (B, H, Lq, Dv), q.dtype)
    if lse.shape != (B, H, Lq) or lse.dtype != q.dtype:
        raise ValueError('_attention_kernels: lse must have shape %s' % ((B, H, Lq),))
    bmask, fmask = _dummy_masks(bmask, fmask, mask_kind, q.dtype)
    gq = numpy.zeros(q.shape, q.dtype)
    gk = numpy.zeros(k.shape, q.dtype)
    gv = numpy.zeros(v.shape, q.dtype)
    s = numpy.empty((_BQ, _BK), q.dtype)
    drow = numpy.empty(_BQ, numpy.float64)
    if q.dtype == numpy.float32:
        _backward_f32(q, k, v, out, gout, lse, bmask, fmask, mask_kind, causal, scale,
                      ratio, seed, gq, gk, gv, s, drow)
    else:
        _backward_f64(q, k, v, out, gout, lse, bmask, fmask, mask_kind, causal, scale,
                      ratio, seed, gq, gk, gv, s, drow)
    return gq, gk, gv


cdef _backward_f32(const float[:, :, :, ::1] q, const float[:, :, :, ::1] k,
                   const float[:, :, :, ::1] v, const float[:, :, :, ::1] out,
                   const float[:, :, :, ::1] gout, const float[:, :, ::1] lse,
                   const unsigned char[:, :, :, :] bmask, const float[:, :, :, :] fmask,
                   int mask_kind, bint causal, double scale, double ratio,
                   unsigned long long seed, float[:, :, :, ::1] gq,
                   float[:, :, :, ::1] gk, float[:, :, :, ::1] gv, float[:, ::1] s,
                   double[::1] drow):
    with nogil:
        _backward_impl(q, k, v, out, gout, lse, bmask, fmask, mask_kind, causal, scale,
                       ratio, seed, gq, gk, gv, s, drow)


cdef _backward_f64(const double[:, :, :, ::1] q, const double[:, :, :, ::1] k,
                   const double[:, :, :, ::1] v, const double[:, :, :, ::1] out,
                   const double[:, :, :, ::1] gout, const double[:, :, ::1] lse,
                   const unsigned char[:, :, :, :] bmask,
                   const double[:, :, :, :] fmask, int mask_kind, bint causal,
                   double scale, double ratio, unsigned long long seed,
                   double[:, :, :, ::1] gq, double[:, :, :, ::1] gk,
                   double[:, :, :, ::1] gv, double[:, ::1] s, double[::1] drow):
    with nogil:
        _backward_impl(q, k, v, out, gout, lse, bmask, fmask, mask_kind, causal, scale,
                       ratio, seed, gq, gk, gv, s, drow)


def dropout_keep(unsigned long long seed, shape, double ratio):
    """The boolean keep mask of shape ``(B, H, Lq, Lk)`` that the kernels draw."""
    shape = tuple(int(n) for n in shape)
    size = 1
    for n in shape:
        if n < 0:
            raise ValueError('dropout_keep: negative extent in %s' % (shape,))
        size *= n
    keep = numpy.empty(size, numpy.uint8)
    _keep_impl(seed, ratio, keep)
    return keep.view(numpy.bool_).reshape(shape)
