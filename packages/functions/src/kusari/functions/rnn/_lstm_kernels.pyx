# cython: language_level=3
# distutils: extra_compile_args = -fno-trapping-math
"""CPU kernels of the LSTM cell (private).

``x`` is ``(B, 4U)`` C-contiguous with the gates interleaved per unit, as Chainer:
column ``4u + k`` holds gate ``k`` (a, i, f, o) of unit ``u``.  ``c_prev`` is
``(Bc, U)`` with ``Bc >= B``; rows from ``B`` on are passed through.
"""
cimport cython
from libc.math cimport exp, expf, tanh, tanhf


ctypedef fused real:
    float
    double


# exp-based forms: libm's scalar tanh is several times slower than exp.
cdef inline real _tanh(real v) noexcept nogil:
    if real is float:
        if -0.0625 < v < 0.0625:
            return tanhf(v)           # keep the relative accuracy near 0
        return 1 - 2 / (expf(2 * v) + 1)
    else:
        if -0.0625 < v < 0.0625:
            return tanh(v)
        return 1 - 2 / (exp(2 * v) + 1)


cdef inline real _sig(real v) noexcept nogil:
    if real is float:
        return 1 / (1 + expf(-v))
    else:
        return 1 / (1 + exp(-v))


cdef _check(Py_ssize_t B, Py_ssize_t U, Py_ssize_t Bc, Py_ssize_t xc, Py_ssize_t cu):
    if xc != 4 * U or cu != U or Bc < B:
        raise ValueError('lstm kernel: inconsistent shapes')


@cython.boundscheck(False)
@cython.wraparound(False)
def backward(const real[:, ::1] c_prev, const real[:, ::1] x, const real[:, ::1] c_next,
             const real[:, ::1] gc, bint has_gc, const real[:, ::1] gh, bint has_gh,
             real[:, ::1] gc_prev, real[:, ::1] gx):
    """Gradients of :func:`forward` w.r.t. ``c_prev`` and ``x``.

    ``gc`` (``(Bc, U)``) / ``gh`` (``(B, U)``) are read only with ``has_gc`` /
    ``has_gh`` (a missing one counts as zeros).
    """
    cdef Py_ssize_t B = x.shape[0], U = c_prev.shape[1], Bc = c_prev.shape[0]
    cdef Py_ssize_t b, u
    cdef real a, ig, fg, og, co, gct, ghv
    _check(B, U, Bc, x.shape[1], c_next.shape[1])
    if c_next.shape[0] != Bc or gc_prev.shape[0] != Bc or gc_prev.shape[1] != U \
            or gx.shape[0] != B or gx.shape[1] != 4 * U:
        raise ValueError('lstm kernel: inconsistent shapes')
    if has_gc and (gc.shape[0] != Bc or gc.shape[1] != U):
        raise ValueError('lstm kernel: inconsistent shape of gc')
    if has_gh and (gh.shape[0] != B or gh.shape[1] != U):
        raise ValueError('lstm kernel: inconsistent shape of gh')
    with nogil:
        for b in range(B):
            for u in range(U):
                a = _tanh(x[b, 4 * u])
                ig = _sig(x[b, 4 * u + 1])
                fg = _sig(x[b, 4 * u + 2])
                og = _sig(x[b, 4 * u + 3])
                co = _tanh(c_next[b, u])
                ghv = gh[b, u] if has_gh else 0
                gct = ghv * og * (1 - co * co)
                if has_gc:
                    gct = gct + gc[b, u]
                gx[b, 4 * u] = gct * ig * (1 - a * a)
                gx[b, 4 * u + 1] = gct * a * ig * (1 - ig)
                gx[b, 4 * u + 2] = gct * c_prev[b, u] * fg * (1 - fg)
                gx[b, 4 * u + 3] = ghv * co * og * (1 - og)
                gc_prev[b, u] = gct * fg
        for b in range(B, Bc):
            for u in range(U):
                gc_prev[b, u] = gc[b, u] if has_gc else 0


# ---- split kernels: NumPy computes the transcendental functions (SIMD), these loops
# do the arithmetic.  ``act`` is ``tanh(x * [1, 1/2, 1/2, 1/2, ...])``, so that
# ``a = act[4u]`` and ``sigmoid(x[4u + k]) = act[4u + k] / 2 + 1/2`` for k = 1, 2, 3.

@cython.boundscheck(False)
@cython.wraparound(False)
def backward_act(const real[:, ::1] c_prev, const real[:, ::1] act,
                 const real[:, ::1] co, const real[:, ::1] gc, bint has_gc,
                 const real[:, ::1] gh, bint has_gh, real[:, ::1] gc_prev,
                 real[:, ::1] gx):
    """Gradients from the stored activations ``act`` and ``co = tanh(c[:B])``."""
    cdef Py_ssize_t B = act.shape[0], U = c_prev.shape[1], Bc = c_prev.shape[0]
    cdef Py_ssize_t b, u
    cdef real a, ig, fg, og, c_o, gct, ghv
    _check(B, U, Bc, act.shape[1], co.shape[1])
    if co.shape[0] != B or gc_prev.shape[0] != Bc or gc_prev.shape[1] != U \
            or gx.shape[0] != B or gx.shape[1] != 4 * U:
        raise ValueError('lstm kernel: inconsistent shapes')
    if has_gc and (gc.shape[0] != Bc or gc.shape[1] != U):
        raise ValueError('lstm kernel: inconsistent shape of gc')
    if has_gh and (gh.shape[0] != B or gh.shape[1] != U):
        raise ValueError('lstm kernel: inconsistent shape of gh')
    with nogil:
        for b in range(B):
            for u in range(U):
                a = act[b, 4 * u]
                ig = act[b, 4 * u + 1] * <real>0.5 + <real>0.5
                fg = act[b, 4 * u + 2] * <real>0.5 + <real>0.5
                og = act[b, 4 * u + 3] * <real>0.5 + <real>0.5
                c_o = co[b, u]
                ghv = gh[b, u] if has_gh else 0
                gct = ghv * og * (1 - c_o * c_o)
                if has_gc:
                    gct = gct + gc[b, u]
                gx[b, 4 * u] = gct * ig * (1 - a * a)
                gx[b, 4 * u + 1] = gct * a * ig * (1 - ig)
                gx[b, 4 * u + 2] = gct * c_prev[b, u] * fg * (1 - fg)
                gx[b, 4 * u + 3] = ghv * c_o * og * (1 - og)
                gc_prev[b, u] = gct * fg
        for b in range(B, Bc):
            for u in range(U):
                gc_prev[b, u] = gc[b, u] if has_gc else 0


# ---- one-call forward with an auto-vectorizable tanh (float32) -----------------------
# libm's tanhf/expf are scalar calls; the loops below evaluate exp with a branch-free
# polynomial (Cephes' expf: range reduction by ln 2, degree-6 polynomial, 2^n by
# building the exponent bits) that the C compiler turns into SIMD code.  Relative
# error about 1e-7; tanh uses its odd Taylor series below |v| = 1/16, where
# 1 - 2 / (exp(2v) + 1) would cancel.

cdef union _fbits:
    float f
    int i


@cython.cdivision(True)
cdef inline float _vexpf(float x) noexcept nogil:
    cdef float xc, z, n, r, p
    cdef _fbits u
    xc = <float>88.0 if x > <float>88.0 else x
    xc = <float>-87.0 if xc < <float>-87.0 else xc
    z = xc * <float>1.44269504088896341
    n = (z + <float>12582912.0) - <float>12582912.0     # round to nearest
    r = xc - n * <float>0.693359375
    r = r - n * <float>-2.12194440e-4
    p = <float>1.9875691500E-4
    p = p * r + <float>1.3981999507E-3
    p = p * r + <float>8.3334519073E-3
    p = p * r + <float>4.1665795894E-2
    p = p * r + <float>1.6666665459E-1
    p = p * r + <float>5.0000001201E-1
    p = p * r * r + r + <float>1.0
    u.i = (<int>n + 127) << 23
    p = p * u.f
    return <float>0.0 if x < <float>-87.0 else p


@cython.cdivision(True)
cdef inline float _vtanhf(float v) noexcept nogil:
    cdef float av = v if v >= 0 else -v
    cdef float e = _vexpf(<float>-2.0 * av)
    cdef float t = (<float>1.0 - e) / (<float>1.0 + e)
    cdef float q = v * v
    cdef float s = v + v * q * (<float>-0.333333333333333 + q * (<float>0.133333333333333
                                + q * <float>-0.053968253968254))
    t = t if v >= 0 else -t
    return s if av < <float>0.0625 else t


cdef void _tanh_scaled_f(const float* x, float* act, Py_ssize_t n4) noexcept nogil:
    # act[j] = tanh(x[j]) for j % 4 == 0, tanh(x[j] / 2) otherwise (n4 groups of 4;
    # the four statements become one SIMD operation)
    cdef Py_ssize_t u
    for u in range(n4):
        act[4 * u] = _vtanhf(x[4 * u])
        act[4 * u + 1] = _vtanhf(x[4 * u + 1] * <float>0.5)
        act[4 * u + 2] = _vtanhf(x[4 * u + 2] * <float>0.5)
        act[4 * u + 3] = _vtanhf(x[4 * u + 3] * <float>0.5)


cdef void _tanh_f(const float* x, float* y, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t j
    for j in range(n):
        y[j] = _vtanhf(x[j])


@cython.boundscheck(False)
@cython.wraparound(False)
def forward_act(const real[:, ::1] c_prev, const real[:, ::1] x, real[:, ::1] act,
                real[:, ::1] c_next, real[:, ::1] co, real[:, ::1] h):
    """The whole cell in one call.

    Writes ``act = tanh(x * [1, 1/2, 1/2, 1/2, ...])`` (the form :func:`backward_act`
    reads), ``c_next`` (rows from ``B`` on copy ``c_prev``), ``co = tanh(c_next[:B])``
    and ``h = sigmoid(o) * co``.
    """
    cdef Py_ssize_t B = x.shape[0], U = c_prev.shape[1], Bc = c_prev.shape[0]
    cdef Py_ssize_t b, u, j
    cdef real ig, fg
    _check(B, U, Bc, x.shape[1], c_next.shape[1])
    if act.shape[0] != B or act.shape[1] != 4 * U or c_next.shape[0] != Bc \
            or co.shape[0] != B or co.shape[1] != U or h.shape[0] != B \
            or h.shape[1] != U:
        raise ValueError('lstm kernel: inconsistent shapes')
    if B == 0 or U == 0:
        for b in range(Bc):
            for u in range(U):
                c_next[b, u] = c_prev[b, u]
        return
    with nogil:
        if real is float:
            _tanh_scaled_f(&x[0, 0], &act[0, 0], B * U)
        else:
            for b in range(B):
                for j in range(4 * U):
                    act[b, j] = tanh(x[b, j] if (j & 3) == 0 else x[b, j] * 0.5)
        for b in range(B):
            for u in range(U):
                ig = act[b, 4 * u + 1] * <real>0.5 + <real>0.5
                fg = act[b, 4 * u + 2] * <real>0.5 + <real>0.5
                c_next[b, u] = act[b, 4 * u] * ig + fg * c_prev[b, u]
        for b in range(B, Bc):
            for u in range(U):
                c_next[b, u] = c_prev[b, u]
        if real is float:
            _tanh_f(&c_next[0, 0], &co[0, 0], B * U)
        else:
            for b in range(B):
                for u in range(U):
                    co[b, u] = tanh(c_next[b, u])
        for b in range(B):
            for u in range(U):
                h[b, u] = (act[b, 4 * u + 3] * <real>0.5 + <real>0.5) * co[b, u]


def tanh_f32(const float[::1] x, float[::1] y):
    """``y = tanh(x)`` with the vectorizable float32 tanh (exposed for testing)."""
    if x.shape[0] != y.shape[0]:
        raise ValueError('tanh_f32: sizes differ')
    if x.shape[0]:
        with nogil:
            _tanh_f(&x[0], &y[0], x.shape[0])
