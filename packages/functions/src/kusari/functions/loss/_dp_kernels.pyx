# cython: language_level=3
"""CPU dynamic-programming kernels of the structured losses (private).

* linear-chain CRF (``crf1d`` / ``argmax_crf1d``): forward (alpha) recursion and
  partition function, forward-backward marginals (the gradient of ``log Z``), and
  the Viterbi recursion with back-tracking;
* CTC (``connectionist_temporal_classification``): the alpha recursion over the
  blank-extended label sequence, and the beta recursion combined into the gradient
  with respect to the unnormalized inputs.

Everything runs in log space (``-inf`` is log 0) and accumulates in double
precision.  The Python callers validate shapes, lengths and label ranges; each entry
point re-checks the shapes it relies on (cheaply, before any unchecked indexing), so
the loops may drop bounds checks.
"""
cimport cython
from cython cimport floating
from libc.math cimport exp, log, log1p, INFINITY

import numpy


cdef inline double _lae(double a, double b) noexcept nogil:
    """log(exp(a) + exp(b)), exact for -inf operands."""
    if a == -INFINITY:
        return b
    if b == -INFINITY:
        return a
    if a > b:
        return a + log1p(exp(b - a))
    return b + log1p(exp(a - b))


def _need(bint cond, str who, str what):
    if not cond:
        raise ValueError('%s: internal kernel precondition failed: %s' % (who, what))


# ----------------------------------------------------------------------------------
# linear-chain CRF
# ----------------------------------------------------------------------------------

def _crf_check(cost, X, lens, str who):
    _need(cost.ndim == 2 and cost.shape[0] == cost.shape[1], who, 'cost is (K, K)')
    _need(X.ndim == 3 and X.shape[2] == cost.shape[0], who, 'X is (L, B, K)')
    _need(lens.ndim == 1 and lens.shape[0] == X.shape[1], who, 'lens is (B,)')
    if lens.shape[0]:
        _need(int(lens.min()) >= 1 and int(lens.max()) <= X.shape[0], who,
              '1 <= lens <= L')


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _crf_alpha(floating[:, ::1] cost, floating[:, :, ::1] X, int[::1] lens,
                     double[:, :, ::1] alpha, double[::1] logz,
                     double[::1] tmp) noexcept nogil:
    cdef Py_ssize_t L = X.shape[0], B = X.shape[1], K = X.shape[2]
    cdef Py_ssize_t b, t, i, j, n
    cdef double m, s, v
    for b in range(B):
        n = lens[b]
        for j in range(K):
            alpha[0, b, j] = X[0, b, j]
        for t in range(1, n):
            for j in range(K):
                m = -INFINITY
                for i in range(K):
                    v = alpha[t - 1, b, i] + cost[i, j]
                    tmp[i] = v
                    if v > m:
                        m = v
                s = 0.0
                if m != -INFINITY:
                    for i in range(K):
                        s += exp(tmp[i] - m)
                    alpha[t, b, j] = m + log(s) + X[t, b, j]
                else:
                    alpha[t, b, j] = -INFINITY
        m = -INFINITY
        for j in range(K):
            if alpha[n - 1, b, j] > m:
                m = alpha[n - 1, b, j]
        s = 0.0
        if m != -INFINITY:
            for j in range(K):
                s += exp(alpha[n - 1, b, j] - m)
            logz[b] = m + log(s)
        else:
            logz[b] = -INFINITY


def crf_forward(floating[:, ::1] cost, floating[:, :, ::1] X, int[::1] lens):
    """``log Z`` per sequence and the alpha table.

    Args:
        cost: ``(K, K)`` transition scores (``cost[i, j]``: from ``i`` to ``j``).
        X: ``(L, B, K)`` unary scores, padded along time.
        lens: ``(B,)`` int32 sequence lengths, ``1 <= lens[b] <= L``.

    Returns:
        ``(logz, alpha)``: float64 arrays ``(B,)`` and ``(L, B, K)``.
    """
    _crf_check(numpy.asarray(cost), numpy.asarray(X), numpy.asarray(lens), 'crf1d')
    L, B, K = X.shape[0], X.shape[1], X.shape[2]
    alpha_a = numpy.zeros((L, B, K), numpy.float64)
    logz_a = numpy.empty(B, numpy.float64)
    tmp_a = numpy.empty(max(K, 1), numpy.float64)
    cdef double[:, :, ::1] alpha = alpha_a
    cdef double[::1] logz = logz_a
    cdef double[::1] tmp = tmp_a
    with nogil:
        _crf_alpha(cost, X, lens, alpha, logz, tmp)
    return logz_a, alpha_a


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _crf_grad(floating[:, ::1] cost, floating[:, :, ::1] X, int[::1] lens,
                    double[:, :, ::1] alpha, double[::1] logz, double[::1] gy,
                    double[:, ::1] beta_prev, double[:, ::1] beta_cur,
                    double[:, :, ::1] gX, double[:, ::1] gcost,
                    double[::1] tmp) noexcept nogil:
    cdef Py_ssize_t L = X.shape[0], B = X.shape[1], K = X.shape[2]
    cdef Py_ssize_t b, t, i, j, n
    cdef double m, s, v, g, lz
    for b in range(B):
        n = lens[b]
        g = gy[b]
        lz = logz[b]
        if lz == -INFINITY or g == 0.0:
            continue
        # beta at the last position is log 1
        for j in range(K):
            beta_cur[b, j] = 0.0
        for t in range(n - 1, -1, -1):
            # unary marginals at t
            for j in range(K):
                gX[t, b, j] = g * exp(alpha[t, b, j] + beta_cur[b, j] - lz)
            if t == 0:
                break
            # pairwise marginals between t-1 and t; beta at t-1
            for j in range(K):
                tmp[j] = X[t, b, j] + beta_cur[b, j]
            for i in range(K):
                m = -INFINITY
                for j in range(K):
                    v = cost[i, j] + tmp[j]
                    if v > m:
                        m = v
                    gcost[i, j] += g * exp(alpha[t - 1, b, i] + v - lz)
                s = 0.0
                if m != -INFINITY:
                    for j in range(K):
                        s += exp(cost[i, j] + tmp[j] - m)
                    beta_prev[b, i] = m + log(s)
                else:
                    beta_prev[b, i] = -INFINITY
            for i in range(K):
                beta_cur[b, i] = beta_prev[b, i]


def crf_grad(floating[:, ::1] cost, floating[:, :, ::1] X, int[::1] lens,
             double[:, :, ::1] alpha, double[::1] logz, double[::1] gy):
    """Gradients of ``sum_b gy[b] * log Z_b`` (forward-backward marginals).

    Args:
        cost, X, lens: as for :func:`crf_forward`.
        alpha, logz: what :func:`crf_forward` returned for them.
        gy: ``(B,)`` float64 upstream gradients of ``log Z``.

    Returns:
        ``(gcost, gX)``: float64 ``(K, K)`` and ``(L, B, K)`` (zero at padding).
    """
    _crf_check(numpy.asarray(cost), numpy.asarray(X), numpy.asarray(lens), 'crf1d')
    L, B, K = X.shape[0], X.shape[1], X.shape[2]
    _need((alpha.shape[0], alpha.shape[1], alpha.shape[2]) == (L, B, K) and logz.shape[0] == B
          and gy.shape[0] == B, 'crf1d', 'alpha/logz/gy match X')
    gX_a = numpy.zeros((L, B, K), numpy.float64)
    gcost_a = numpy.zeros((K, K), numpy.float64)
    bp_a = numpy.empty((B, K), numpy.float64)
    bc_a = numpy.empty((B, K), numpy.float64)
    tmp_a = numpy.empty(max(K, 1), numpy.float64)
    cdef double[:, :, ::1] gX = gX_a
    cdef double[:, ::1] gcost = gcost_a
    cdef double[:, ::1] bp = bp_a
    cdef double[:, ::1] bc = bc_a
    cdef double[::1] tmp = tmp_a
    with nogil:
        _crf_grad(cost, X, lens, alpha, logz, gy, bp, bc, gX, gcost, tmp)
    return gcost_a, gX_a


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _crf_viterbi(floating[:, ::1] cost, floating[:, :, ::1] X, int[::1] lens,
                       double[:, ::1] delta_prev, double[:, ::1] delta_cur,
                       int[:, :, ::1] back, int[:, ::1] path,
                       double[::1] best) noexcept nogil:
    cdef Py_ssize_t L = X.shape[0], B = X.shape[1], K = X.shape[2]
    cdef Py_ssize_t b, t, i, j, n
    cdef int arg
    cdef double m, v
    for b in range(B):
        n = lens[b]
        for j in range(K):
            delta_prev[b, j] = X[0, b, j]
        for t in range(1, n):
            for j in range(K):
                m = delta_prev[b, 0] + cost[0, j]
                arg = 0
                for i in range(1, K):
                    v = delta_prev[b, i] + cost[i, j]
                    if v > m:
                        m = v
                        arg = <int>i
                back[t, b, j] = arg
                delta_cur[b, j] = m + X[t, b, j]
            for j in range(K):
                delta_prev[b, j] = delta_cur[b, j]
        m = delta_prev[b, 0]
        arg = 0
        for j in range(1, K):
            if delta_prev[b, j] > m:
                m = delta_prev[b, j]
                arg = <int>j
        best[b] = m
        path[n - 1, b] = arg
        for t in range(n - 1, 0, -1):
            arg = back[t, b, arg]
            path[t - 1, b] = arg


def crf_viterbi(floating[:, ::1] cost, floating[:, :, ::1] X, int[::1] lens):
    """The best label path of each sequence (Viterbi).

    Returns:
        ``(best, path)``: float64 ``(B,)`` best scores and int32 ``(L, B)`` labels
        (``-1`` past each sequence's end).  Ties resolve to the smallest label.
    """
    _crf_check(numpy.asarray(cost), numpy.asarray(X), numpy.asarray(lens), 'argmax_crf1d')
    L, B, K = X.shape[0], X.shape[1], X.shape[2]
    _need(K >= 1, 'argmax_crf1d', 'K >= 1')
    dp_a = numpy.empty((B, K), numpy.float64)
    dc_a = numpy.empty((B, K), numpy.float64)
    back_a = numpy.zeros((L, B, K), numpy.int32)
    path_a = numpy.full((L, B), -1, numpy.int32)
    best_a = numpy.empty(B, numpy.float64)
    cdef double[:, ::1] dp = dp_a
    cdef double[:, ::1] dc = dc_a
    cdef int[:, :, ::1] back = back_a
    cdef int[:, ::1] path = path_a
    cdef double[::1] best = best_a
    with nogil:
        _crf_viterbi(cost, X, lens, dp, dc, back, path, best)
    return best_a, path_a


# ----------------------------------------------------------------------------------
# CTC
# ----------------------------------------------------------------------------------

def _ctc_check(logy, labels, in_len, lab_len, int blank, str who):
    _need(logy.ndim == 3, who, 'logy is (T, B, V)')
    T, B, V = logy.shape
    _need(labels.ndim == 2 and labels.shape[0] == B, who, 'labels is (B, M)')
    _need(in_len.shape == (B,) and lab_len.shape == (B,), who, 'lengths are (B,)')
    _need(0 <= blank < V, who, '0 <= blank < V')
    if B:
        _need(int(in_len.min()) >= 0 and int(in_len.max()) <= T, who,
              '0 <= input_length <= T')
        _need(int(lab_len.min()) >= 0 and int(lab_len.max()) <= labels.shape[1], who,
              '0 <= label_length <= M')
    if labels.size:
        _need(int(labels.min()) >= 0 and int(labels.max()) < V, who, '0 <= t < V')


@cython.boundscheck(False)
@cython.wraparound(False)
cdef inline int _ext(int[:, ::1] labels, Py_ssize_t b, Py_ssize_t s,
                     int blank) noexcept nogil:
    """The label at position ``s`` of the blank-extended sequence of ``b``."""
    if s % 2 == 0:
        return blank
    return labels[b, (s - 1) // 2]


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _ctc_alpha(floating[:, :, ::1] logy, int[:, ::1] labels, int[::1] in_len,
                     int[::1] lab_len, int blank, double[:, :, ::1] alpha,
                     double[::1] loss) noexcept nogil:
    cdef Py_ssize_t T = logy.shape[0], B = logy.shape[1]
    cdef Py_ssize_t S = alpha.shape[2]
    cdef Py_ssize_t b, t, s, Sb, Tb
    cdef int l
    cdef double v, p
    for b in range(B):
        Tb = in_len[b]
        Sb = 2 * lab_len[b] + 1
        for t in range(T):
            for s in range(S):
                alpha[t, b, s] = -INFINITY
        if Tb == 0:
            loss[b] = 0.0 if Sb == 1 else INFINITY
            continue
        alpha[0, b, 0] = logy[0, b, blank]
        if Sb > 1:
            alpha[0, b, 1] = logy[0, b, _ext(labels, b, 1, blank)]
        for t in range(1, Tb):
            for s in range(Sb):
                l = _ext(labels, b, s, blank)
                v = alpha[t - 1, b, s]
                if s >= 1:
                    v = _lae(v, alpha[t - 1, b, s - 1])
                if s >= 2 and l != blank and l != _ext(labels, b, s - 2, blank):
                    v = _lae(v, alpha[t - 1, b, s - 2])
                if v != -INFINITY:
                    v = v + logy[t, b, l]
                alpha[t, b, s] = v
        p = alpha[Tb - 1, b, Sb - 1]
        if Sb > 1:
            p = _lae(p, alpha[Tb - 1, b, Sb - 2])
        loss[b] = -p


def ctc_forward(floating[:, :, ::1] logy, int[:, ::1] labels, int[::1] in_len,
                int[::1] lab_len, int blank):
    """Negative log-likelihood of each label sequence and the alpha table.

    Args:
        logy: ``(T, B, V)`` log-probabilities (log-softmax of the inputs).
        labels: ``(B, M)`` int32 labels in ``[0, V)``.
        in_len, lab_len: ``(B,)`` int32 lengths (``<= T`` and ``<= M``).
        blank: the blank label.

    Returns:
        ``(loss, alpha)``: float64 ``(B,)`` (``inf`` where no alignment exists) and
        ``(T, B, 2M + 1)`` log forward variables.
    """
    _ctc_check(numpy.asarray(logy), numpy.asarray(labels), numpy.asarray(in_len),
               numpy.asarray(lab_len), blank, 'connectionist_temporal_classification')
    T, B = logy.shape[0], logy.shape[1]
    S = 2 * labels.shape[1] + 1
    alpha_a = numpy.empty((T, B, S), numpy.float64)
    loss_a = numpy.empty(B, numpy.float64)
    cdef double[:, :, ::1] alpha = alpha_a
    cdef double[::1] loss = loss_a
    with nogil:
        _ctc_alpha(logy, labels, in_len, lab_len, blank, alpha, loss)
    return loss_a, alpha_a


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _ctc_grad(floating[:, :, ::1] logy, int[:, ::1] labels, int[::1] in_len,
                    int[::1] lab_len, int blank, double[:, :, ::1] alpha,
                    double[::1] loss, double[::1] gscale, double[:, ::1] bprev,
                    double[:, ::1] bcur, double[:, :, ::1] gx) noexcept nogil:
    cdef Py_ssize_t T = logy.shape[0], B = logy.shape[1], V = logy.shape[2]
    cdef Py_ssize_t b, t, s, Sb, Tb, k
    cdef int l, l2
    cdef double v, g, lp, e
    for b in range(B):
        Tb = in_len[b]
        Sb = 2 * lab_len[b] + 1
        g = gscale[b]
        lp = -loss[b]
        # gx stays zero past the input length, for infeasible sequences and g == 0
        if Tb == 0 or lp == -INFINITY or g == 0.0:
            continue
        for t in range(Tb):
            for k in range(V):
                gx[t, b, k] = 0.0
        # beta_t(s): log-probability of finishing from s at t, excluding y_t
        for s in range(Sb):
            bcur[b, s] = -INFINITY
        bcur[b, Sb - 1] = 0.0
        if Sb > 1:
            bcur[b, Sb - 2] = 0.0
        for t in range(Tb - 1, -1, -1):
            # occupation probabilities at t, accumulated per label (gx holds sums)
            for s in range(Sb):
                v = alpha[t, b, s] + bcur[b, s]
                if v != -INFINITY:
                    l = _ext(labels, b, s, blank)
                    gx[t, b, l] += exp(v - lp)
            if t == 0:
                break
            for s in range(Sb):
                l = _ext(labels, b, s, blank)
                v = bcur[b, s] + logy[t, b, l]
                if s + 1 < Sb:
                    l2 = _ext(labels, b, s + 1, blank)
                    v = _lae(v, bcur[b, s + 1] + logy[t, b, l2])
                if s + 2 < Sb:
                    l2 = _ext(labels, b, s + 2, blank)
                    if l2 != blank and l2 != l:
                        v = _lae(v, bcur[b, s + 2] + logy[t, b, l2])
                bprev[b, s] = v
            for s in range(Sb):
                bcur[b, s] = bprev[b, s]
        # d(-log p)/dx = softmax(x) - occupation
        for t in range(Tb):
            for k in range(V):
                e = exp(logy[t, b, k])
                gx[t, b, k] = g * (e - gx[t, b, k])


def ctc_grad(floating[:, :, ::1] logy, int[:, ::1] labels, int[::1] in_len,
             int[::1] lab_len, int blank, double[:, :, ::1] alpha, double[::1] loss,
             double[::1] gscale):
    """Gradient of ``sum_b gscale[b] * loss[b]`` with respect to the inputs ``x``.

    ``logy`` is ``log_softmax(x)``; ``alpha`` and ``loss`` come from
    :func:`ctc_forward`.  Returns a float64 ``(T, B, V)`` array, zero at time steps
    past each input length and for sequences without any alignment.
    """
    _ctc_check(numpy.asarray(logy), numpy.asarray(labels), numpy.asarray(in_len),
               numpy.asarray(lab_len), blank, 'connectionist_temporal_classification')
    T, B, V = logy.shape[0], logy.shape[1], logy.shape[2]
    S = 2 * labels.shape[1] + 1
    _need((alpha.shape[0], alpha.shape[1], alpha.shape[2]) == (T, B, S) and loss.shape[0] == B
          and gscale.shape[0] == B, 'connectionist_temporal_classification',
          'alpha/loss/gscale match logy')
    gx_a = numpy.zeros((T, B, V), numpy.float64)
    bp_a = numpy.empty((B, S), numpy.float64)
    bc_a = numpy.empty((B, S), numpy.float64)
    cdef double[:, :, ::1] gx = gx_a
    cdef double[:, ::1] bp = bp_a
    cdef double[:, ::1] bc = bc_a
    with nogil:
        _ctc_grad(logy, labels, in_len, lab_len, blank, alpha, loss, gscale, bp, bc,
                  gx)
    return gx_a
