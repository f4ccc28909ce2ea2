# cython: language_level=3
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
def forward(const real[:, ::1] c_prev, const real[:, ::1] x, real[:, ::1] c_next,
            real[:, ::1] h):
    """``c = tanh(a) sig(i) + sig(f) c_prev``, ``h = sig(o) tanh(c)``."""
    cdef Py_ssize_t B = h.shape[0], U = h.shape[1], Bc = c_prev.shape[0]
    cdef Py_ssize_t b, u
    cdef real a, ig, fg, og, c
    _check(B, U, Bc, x.shape[1], c_prev.shape[1])
    if x.shape[0] != B or c_next.shape[0] != Bc or c_next.shape[1] != U:
        raise ValueError('lstm kernel: inconsistent shapes')
    with nogil:
        for b in range(B):
            for u in range(U):
                a = _tanh(x[b, 4 * u])
                ig = _sig(x[b, 4 * u + 1])
                fg = _sig(x[b, 4 * u + 2])
                og = _sig(x[b, 4 * u + 3])
                c = a * ig + fg * c_prev[b, u]
                c_next[b, u] = c
                h[b, u] = og * _tanh(c)
        for b in range(B, Bc):
            for u in range(U):
                c_next[b, u] = c_prev[b, u]


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
def combine(const real[:, ::1] c_prev, const real[:, ::1] act, real[:, ::1] c_next):
    """``c_next[:B] = a * i + f * c_prev[:B]``; the other rows copy ``c_prev``."""
    cdef Py_ssize_t B = act.shape[0], U = c_prev.shape[1], Bc = c_prev.shape[0]
    cdef Py_ssize_t b, u
    cdef real ig, fg
    _check(B, U, Bc, act.shape[1], c_next.shape[1])
    if c_next.shape[0] != Bc:
        raise ValueError('lstm kernel: inconsistent shapes')
    with nogil:
        for b in range(B):
            for u in range(U):
                ig = act[b, 4 * u + 1] * <real>0.5 + <real>0.5
                fg = act[b, 4 * u + 2] * <real>0.5 + <real>0.5
                c_next[b, u] = act[b, 4 * u] * ig + fg * c_prev[b, u]
        for b in range(B, Bc):
            for u in range(U):
                c_next[b, u] = c_prev[b, u]


@cython.boundscheck(False)
@cython.wraparound(False)
def output(const real[:, ::1] act, real[:, ::1] co_h):
    """``h = o * tanh(c)`` in place: ``co_h`` holds ``tanh(c)`` on entry, ``h`` after."""
    cdef Py_ssize_t B = co_h.shape[0], U = co_h.shape[1], b, u
    if act.shape[0] != B or act.shape[1] != 4 * U:
        raise ValueError('lstm kernel: inconsistent shapes')
    with nogil:
        for b in range(B):
            for u in range(U):
                co_h[b, u] = (act[b, 4 * u + 3] * <real>0.5 + <real>0.5) * co_h[b, u]


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
