# cython: language_level=3
"""CPU kernels of softmax cross entropy (private).

Rows of a C-contiguous ``(R, C)`` score matrix: a numerically stable log-softmax,
the gather of the target's log-probability and the per-row loss in one pass;
the backward computes ``scale_r * (softmax(x)_r - onehot(t_r))`` in one pass.
Labels are validated by :func:`check_labels` before the unchecked loops run.
"""
cimport cython
from libc.math cimport exp, expf, log, logf

from kusari.functions._vecmath cimport kv_softmax_row

ctypedef fused real:
    float
    double

ctypedef fused label_t:
    int
    long long


def check_labels(const label_t[::1] t, Py_ssize_t n_class, long long ignore_label,
                 str func):
    """Raise ValueError unless every label is in ``[0, n_class)`` or ``ignore_label``.

    Returns the number of labels that are not ``ignore_label``.
    """
    cdef Py_ssize_t i, n = t.shape[0], count = 0
    cdef long long v
    for i in range(n):
        v = t[i]
        if v == ignore_label:
            continue
        if v < 0 or v >= n_class:
            raise ValueError(
                '%s: each label t must satisfy 0 <= t < x.shape[1] (= %d) or '
                't == ignore_label (= %d); got t = %d' % (func, n_class, ignore_label, v))
        count += 1
    return count


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline real _exp(real v) noexcept nogil:
    if real is float:
        return expf(v)
    else:
        return exp(v)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline double _nll(double lp, const real[::1] w, bint has_w, long long ti,
                        real[::1] loss, Py_ssize_t i) noexcept nogil:
    # row i's (weighted) negative log-likelihood into loss[i]; returns the weighted lp
    if has_w:
        lp = lp * w[ti]
    loss[i] = <real>(-lp)
    return lp


@cython.boundscheck(False)
@cython.wraparound(False)
def forward(const real[:, ::1] x, const label_t[::1] t, long long ignore_label,
            const real[::1] w, bint has_w, real[:, ::1] y, bint has_y, real[::1] loss):
    """Per-row loss ``-w[t] * log_softmax(x)[t]`` (0 where ignored) into ``loss``.

    With ``has_y``, ``y`` receives ``softmax(x)``; with ``has_w``, ``w`` holds class
    weights (otherwise both are ignored dummies).
    Labels must have been checked with :func:`check_labels`.  Returns the sum of
    the per-row losses (as a double).
    """
    cdef Py_ssize_t R = x.shape[0], C = x.shape[1], i, j
    cdef long long ti
    cdef double m, s, lse, total = 0.0
    cdef real e
    if t.shape[0] != R or loss.shape[0] != R:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch')
    if has_y and (y.shape[0] != R or y.shape[1] != C):
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of y')
    if has_w and w.shape[0] != C:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of w')
    if C == 0:
        for i in range(R):
            loss[i] = 0
        return 0.0
    with nogil:
        for i in range(R):
            m = x[i, 0]
            for j in range(1, C):
                if x[i, j] > m:
                    m = x[i, j]
            s = 0.0
            if has_y:
                for j in range(C):
                    e = _exp(<real>(x[i, j] - m))
                    y[i, j] = e
                    s += e
                e = <real>(1.0 / s)
                for j in range(C):
                    y[i, j] *= e
            else:
                for j in range(C):
                    s += _exp(<real>(x[i, j] - m))
            lse = m + log(s)
            ti = t[i]
            if ti == ignore_label or ti < 0 or ti >= C:
                loss[i] = 0
                continue
            total -= _nll(x[i, ti] - lse, w, has_w, ti, loss, i)
    return total


@cython.boundscheck(False)
@cython.wraparound(False)
def backward(const real[:, ::1] x, const real[:, ::1] y, bint has_y,
             const label_t[::1] t, long long ignore_label, const real[::1] w, bint has_w,
             double scale, const real[::1] gloss, bint has_g, real[:, ::1] gx):
    """``gx[r] = s_r * (softmax(x[r]) - onehot(t[r]))`` with ``s_r = scale * w[t_r]``
    (times ``gloss[r]`` when given), 0 for ignored rows.

    With ``has_y``, ``y`` is the cached softmax; otherwise it is recomputed from
    ``x``.  ``w`` / ``gloss`` are used only with ``has_w`` / ``has_g``.
    """
    cdef Py_ssize_t R = gx.shape[0], C = gx.shape[1], i, j
    cdef long long ti
    cdef double m, s, sc
    cdef real e, f
    if t.shape[0] != R:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch')
    if has_y:
        if y.shape[0] != R or y.shape[1] != C:
            raise ValueError('softmax_cross_entropy kernel: shape mismatch of y')
    elif x.shape[0] != R or x.shape[1] != C:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of x')
    if has_w and w.shape[0] != C:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of w')
    if has_g and gloss.shape[0] != R:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of gloss')
    with nogil:
        for i in range(R):
            ti = t[i]
            if ti == ignore_label or ti < 0 or ti >= C:
                for j in range(C):
                    gx[i, j] = 0
                continue
            sc = scale
            if has_w:
                sc = sc * w[ti]
            if has_g:
                sc = sc * gloss[i]
            f = <real>sc
            if has_y:
                for j in range(C):
                    gx[i, j] = y[i, j] * f
            else:
                m = x[i, 0]
                for j in range(1, C):
                    if x[i, j] > m:
                        m = x[i, j]
                s = 0.0
                for j in range(C):
                    e = _exp(<real>(x[i, j] - m))
                    gx[i, j] = e
                    s += e
                f = <real>(sc / s)
                for j in range(C):
                    gx[i, j] *= f
            gx[i, ti] -= <real>sc


# ---- many classes: NumPy's vectorized exp between two passes over the rows -----------

@cython.boundscheck(False)
@cython.wraparound(False)
def shift_rows(const real[:, ::1] x, real[:, ::1] y, double[::1] m):
    """``m[r] = max(x[r])`` and ``y[r] = x[r] - m[r]`` (``y`` then goes through exp)."""
    cdef Py_ssize_t R = x.shape[0], C = x.shape[1], i, j
    cdef real mx, v
    if y.shape[0] != R or y.shape[1] != C or m.shape[0] != R:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch')
    if C == 0:
        return
    with nogil:
        for i in range(R):
            mx = x[i, 0]
            for j in range(1, C):
                v = x[i, j]
                if v > mx:
                    mx = v
            m[i] = mx
            for j in range(C):
                y[i, j] = x[i, j] - mx


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def finish_rows(const real[:, ::1] x, real[:, ::1] e, const label_t[::1] t,
                long long ignore_label, const real[::1] w, bint has_w, bint normalize,
                const double[::1] m, real[::1] loss):
    """From ``e = exp(x - m)``: the per-row loss ``-w[t] * log_softmax(x)[t]`` (0 where
    ignored) into ``loss``, and with ``normalize`` ``e /= rowsum(e)`` (the softmax).

    Labels must have been checked with :func:`check_labels`.  Returns the sum of the
    losses (a double).
    """
    cdef Py_ssize_t R = x.shape[0], C = x.shape[1], i, j
    cdef long long ti
    cdef double s0, s1, s2, s3, s, total = 0.0
    cdef real inv
    if (e.shape[0] != R or e.shape[1] != C or t.shape[0] != R or m.shape[0] != R
            or loss.shape[0] != R):
        raise ValueError('softmax_cross_entropy kernel: shape mismatch')
    if has_w and w.shape[0] != C:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of w')
    if C == 0:
        for i in range(R):
            loss[i] = 0
        return 0.0
    with nogil:
        for i in range(R):
            # four partial sums: no loop-carried latency chain
            s0 = s1 = s2 = s3 = 0.0
            j = 0
            while j + 4 <= C:
                s0 += e[i, j]
                s1 += e[i, j + 1]
                s2 += e[i, j + 2]
                s3 += e[i, j + 3]
                j += 4
            while j < C:
                s0 += e[i, j]
                j += 1
            s = (s0 + s1) + (s2 + s3)
            if normalize:
                inv = <real>(1.0 / s)
                for j in range(C):
                    e[i, j] = e[i, j] * inv
            ti = t[i]
            if ti == ignore_label or ti < 0 or ti >= C:
                loss[i] = 0
                continue
            total -= _nll(x[i, ti] - m[i] - log(s), w, has_w, ti, loss, i)
    return total


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
def forward_rows_f32(const float[:, ::1] x, const label_t[::1] t, long long ignore_label,
                     const float[::1] w, bint has_w, bint keep_softmax, float[:, ::1] y,
                     float[::1] loss):
    """float32 rows in one pass each (SIMD exp of ``_vecmath.h``): ``y[r] = exp(x[r] -
    max)`` (normalized to the softmax with ``keep_softmax``) and the per-row loss
    ``-w[t] * log_softmax(x)[t]`` (0 where ignored) into ``loss``.

    Labels must have been checked with :func:`check_labels`.  Returns the sum of the
    losses (a double).
    """
    cdef Py_ssize_t R = x.shape[0], C = x.shape[1], i, j
    cdef long long ti
    cdef double s, total = 0.0
    cdef float m = 0, inv
    if (y.shape[0] != R or y.shape[1] != C or t.shape[0] != R or loss.shape[0] != R):
        raise ValueError('softmax_cross_entropy kernel: shape mismatch')
    if has_w and w.shape[0] != C:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of w')
    if C == 0:
        for i in range(R):
            loss[i] = 0
        return 0.0
    with nogil:
        for i in range(R):
            s = kv_softmax_row(&x[i, 0], &y[i, 0], C, &m)
            if keep_softmax:
                inv = <float>(1.0 / s)
                for j in range(C):
                    y[i, j] = y[i, j] * inv
            ti = t[i]
            if ti == ignore_label or ti < 0 or ti >= C:
                loss[i] = 0
                continue
            total -= _nll(<double>x[i, ti] - m - log(s), w, has_w, ti, loss, i)
    return total
