# cython: language_level=3
"""CPU kernels of the LSTM cell (private).

``x`` is ``(B, 4U)`` C-contiguous with the gates interleaved per unit, as Chainer:
column ``4u + k`` holds gate ``k`` (a, i, f, o) of unit ``u``.  ``c_prev`` is
``(Bc, U)`` with ``Bc >= B``; rows from ``B`` on are passed through.
"""
cimport cython
from libc.math cimport exp, expf, tanh, tanhf

from kusari.functions._vecmath cimport kv_lstm_act, kv_tanh


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
# float32 uses the dispatched SIMD loops of _vecmath.h (kv_lstm_act, kv_tanh).


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
            kv_lstm_act(&x[0, 0], &act[0, 0], B * U)
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
            kv_tanh(&c_next[0, 0], &co[0, 0], B * U)
        else:
            for b in range(B):
                for u in range(U):
                    co[b, u] = tanh(c_next[b, u])
        for b in range(B):
            for u in range(U):
                h[b, u] = (act[b, 4 * u + 3] * <real>0.5 + <real>0.5) * co[b, u]
