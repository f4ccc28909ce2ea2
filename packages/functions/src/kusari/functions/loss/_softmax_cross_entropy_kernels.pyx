# cython: language_level=3
"""CPU kernels of softmax cross entropy (private).

Rows of a C-contiguous ``(R, C)`` score matrix: a numerically stable log-softmax,
the gather of the target's log-probability and the per-row loss in one pass;
the backward computes ``scale_r * (softmax(x)_r - onehot(t_r))`` in one pass.
Labels are validated by :func:`check_labels` before the unchecked loops run.
"""
cimport cython
cimport numpy as cnp
from libc.math cimport exp, expf, log, logf

from kusari.functions._ndarray_checks cimport plain_float_kind, plain_layout, same_shape
from kusari.functions._vecmath cimport kv_softmax_row

cnp.import_array()

ctypedef fused real:
    float
    double

ctypedef fused label_t:
    int
    long long


cdef Py_ssize_t _count_labels(const label_t* t, Py_ssize_t n, Py_ssize_t n_class,
                              long long ignore_label, str func) except -1:
    # the labels that are not ignore_label; ValueError (naming func) for one outside
    # [0, n_class)
    cdef Py_ssize_t i, count = 0
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


def check_labels(const label_t[::1] t, Py_ssize_t n_class, long long ignore_label,
                 str func):
    """Raise ValueError unless every label is in ``[0, n_class)`` or ``ignore_label``.

    Returns the number of labels that are not ``ignore_label``.
    """
    if t.shape[0] == 0:
        return 0
    return _count_labels(&t[0], t.shape[0], n_class, ignore_label, func)


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
    cdef Py_ssize_t R = x.shape[0], C = x.shape[1], i
    cdef double total
    if (y.shape[0] != R or y.shape[1] != C or t.shape[0] != R or loss.shape[0] != R):
        raise ValueError('softmax_cross_entropy kernel: shape mismatch')
    if has_w and w.shape[0] != C:
        raise ValueError('softmax_cross_entropy kernel: shape mismatch of w')
    if C == 0:
        for i in range(R):
            loss[i] = 0
        return 0.0
    if R == 0:
        return 0.0
    cdef const float* wp = &w[0] if has_w else NULL
    with nogil:
        total = _rows_f32(&x[0, 0], &t[0], R, C, ignore_label, wp, keep_softmax,
                          &y[0, 0], &loss[0])
    return total


# ---- the common case in one call: float32 (N, C) scores, 1-D int labels, mean ------
#
# The general entry points above take typed memoryviews, whose fused-type dispatch and
# buffer acquisition cost several microseconds per call -- more than the arithmetic for
# a small batch.  These two read NumPy's C API directly; they return None when the
# case does not apply (the caller then takes the general path), and validate every
# shape and label before a loop runs.

cdef object _out_like(object out, cnp.ndarray like):
    # The float32 output of a kernel shaped like ``like``: a new array when ``out`` is
    # None, ``out`` itself when it is a writeable plain float32 array of that shape,
    # else None (the caller then leaves the case to the general path).
    if out is None:
        return cnp.PyArray_EMPTY(cnp.PyArray_NDIM(like), cnp.PyArray_DIMS(like),
                                 cnp.NPY_FLOAT32, 0)
    if plain_float_kind(out, cnp.PyArray_NDIM(like), True) == 1 and same_shape(out, like):
        return out
    return None




@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
cdef double _rows_f32(const float* x, const label_t* t, Py_ssize_t R, Py_ssize_t C,
                      long long ignore_label, const float* w, bint keep_softmax,
                      float* y, float* loss) noexcept nogil:
    # One pass per row with the SIMD exp: y[r] = exp(x[r] - max) (the softmax with
    # keep_softmax); the row's loss -w[t] * log_softmax(x)[r, t[r]] (w NULL: no class
    # weights; 0 where ignored) goes into loss[r] when loss is not NULL.  Returns the
    # sum of the losses.  Labels must have been checked.
    cdef Py_ssize_t i, j
    cdef long long ti
    cdef double s, lp, total = 0.0
    cdef float m = 0, inv
    cdef const float* xr
    cdef float* yr
    for i in range(R):
        xr = x + i * C
        yr = y + i * C
        s = kv_softmax_row(xr, yr, C, &m)
        if keep_softmax:
            inv = <float>(1.0 / s)
            for j in range(C):
                yr[j] = yr[j] * inv
        ti = t[i]
        if ti == ignore_label or ti < 0 or ti >= C:
            if loss != NULL:
                loss[i] = 0
            continue
        lp = <double>xr[ti] - m - log(s)
        if w != NULL:
            lp = lp * w[ti]
        if loss != NULL:
            loss[i] = <float>(-lp)
        total -= lp
    return total


def forward_mean_f32(x, t, long long ignore_label, bint normalize, y=None):
    """Mean softmax cross entropy of float32 scores ``x`` (R, C) and labels ``t`` (R,).

    Computes ``softmax(x)`` into ``y`` (a C-contiguous float32 (R, C) array, allocated
    when None) and the loss ``sum_r -log_softmax(x)[r, t[r]] * coeff`` over rows whose
    label is not ``ignore_label``, with ``coeff = 1 / max(n, 1)`` and ``n`` the number
    of such rows (``normalize``) or ``R``.

    Returns:
        tuple or None: ``(loss, coeff, y)`` with ``loss`` a 0-d float32 array, or None
        when the arrays are not of this case (the caller uses the general path).

    Raises:
        ValueError: a label outside ``[0, C)`` that is not ``ignore_label``.
    """
    if not (plain_layout(x, 2, False) and plain_layout(t, 1, False)):
        return None
    cdef cnp.ndarray xa = <cnp.ndarray>x
    cdef cnp.ndarray ta = <cnp.ndarray>t
    if cnp.PyArray_TYPE(xa) != cnp.NPY_FLOAT32:
        return None
    cdef int tt = cnp.PyArray_TYPE(ta)
    cdef bint t32 = tt == cnp.NPY_INT32
    if not (t32 or tt == cnp.NPY_INT64):
        return None
    cdef Py_ssize_t R = cnp.PyArray_DIMS(xa)[0], C = cnp.PyArray_DIMS(xa)[1]
    if cnp.PyArray_DIMS(ta)[0] != R or C == 0:
        return None
    y = _out_like(y, xa)
    if y is None:
        return None
    cdef float* yp = <float*>cnp.PyArray_DATA(<cnp.ndarray>y)
    cdef const float* xp = <const float*>cnp.PyArray_DATA(xa)
    cdef Py_ssize_t count
    cdef double total
    if t32:
        count = _count_labels(<const int*>cnp.PyArray_DATA(ta), R, C, ignore_label,
                              'softmax_cross_entropy')
        with nogil:
            total = _rows_f32(xp, <const int*>cnp.PyArray_DATA(ta), R, C, ignore_label,
                              NULL, True, yp, NULL)
    else:
        count = _count_labels(<const long long*>cnp.PyArray_DATA(ta), R, C, ignore_label,
                              'softmax_cross_entropy')
        with nogil:
            total = _rows_f32(xp, <const long long*>cnp.PyArray_DATA(ta), R, C,
                              ignore_label, NULL, True, yp, NULL)
    cdef Py_ssize_t n = count if normalize else R
    cdef double coeff = 1.0 / (n if n > 1 else 1)
    loss = cnp.PyArray_EMPTY(0, NULL, cnp.NPY_FLOAT32, 0)
    (<float*>cnp.PyArray_DATA(<cnp.ndarray>loss))[0] = <float>(total * coeff)
    return loss, coeff, y


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _grad_rows_f32(const float* y, const label_t* t, Py_ssize_t R, Py_ssize_t C,
                         long long ignore_label, float f, float* gx) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef long long ti
    cdef const float* yr
    cdef float* gr
    for i in range(R):
        yr = y + i * C
        gr = gx + i * C
        ti = t[i]
        if ti == ignore_label or ti < 0 or ti >= C:
            for j in range(C):
                gr[j] = 0
            continue
        for j in range(C):
            gr[j] = yr[j] * f
        gr[ti] -= f


def backward_mean_f32(y, t, long long ignore_label, double scale, gx=None):
    """``gx[r] = scale * (y[r] - onehot(t[r]))`` (0 for ignored rows) from the cached
    float32 softmax ``y`` (R, C) of :func:`forward_mean_f32`.

    ``gx`` (optional) is a C-contiguous float32 (R, C) array to write to.  Returns
    ``gx``, or None when the arrays are not of this case.
    """
    if not (plain_layout(y, 2, False) and plain_layout(t, 1, False)):
        return None
    cdef cnp.ndarray ya = <cnp.ndarray>y
    cdef cnp.ndarray ta = <cnp.ndarray>t
    cdef int tt = cnp.PyArray_TYPE(ta)
    if cnp.PyArray_TYPE(ya) != cnp.NPY_FLOAT32 or not (
            tt == cnp.NPY_INT32 or tt == cnp.NPY_INT64):
        return None
    cdef Py_ssize_t R = cnp.PyArray_DIMS(ya)[0], C = cnp.PyArray_DIMS(ya)[1]
    if cnp.PyArray_DIMS(ta)[0] != R:
        return None
    gx = _out_like(gx, ya)
    if gx is None:
        return None
    cdef float* gp = <float*>cnp.PyArray_DATA(<cnp.ndarray>gx)
    cdef const float* yp = <const float*>cnp.PyArray_DATA(ya)
    cdef float f = <float>scale
    with nogil:
        if tt == cnp.NPY_INT32:
            _grad_rows_f32(yp, <const int*>cnp.PyArray_DATA(ta), R, C, ignore_label, f, gp)
        else:
            _grad_rows_f32(yp, <const long long*>cnp.PyArray_DATA(ta), R, C,
                           ignore_label, f, gp)
    return gx
