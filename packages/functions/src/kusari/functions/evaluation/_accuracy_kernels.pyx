# cython: language_level=3
"""CPU kernel of ``F.accuracy`` for the common case (private).

``argmax``, a comparison, a count and a division are five NumPy calls, each costing
more than the arithmetic for a training batch; this is one pass.  It reads NumPy's C
API and returns None when the case does not apply -- scores that are not a
C-contiguous, aligned, native-order float32/float64 (N, C) ``numpy.ndarray`` with
``C >= 1``, or labels that are not a 1-D int32/int64 one of length N, or more than
:data:`MAX_SIZE` scores (the scalar argmax loop costs ~1 ns per score; beyond that
NumPy's SIMD argmax plus its call overheads is faster) -- and the caller then uses
NumPy.  Shapes are validated before the loop; labels are only compared.
"""
cimport cython
cimport numpy as cnp

from kusari.functions._ndarray_checks cimport plain_layout

cnp.import_array()

#: Most scores the kernel takes (N * C); larger inputs are left to NumPy.
MAX_SIZE = 4096
cdef Py_ssize_t _MAX_SIZE = MAX_SIZE

ctypedef fused real:
    float
    double

ctypedef fused label_t:
    int
    long long

@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _count(const real* y, const label_t* t, Py_ssize_t R, Py_ssize_t C,
                 bint has_ignore, long long ignore, Py_ssize_t* hits,
                 Py_ssize_t* total) noexcept nogil:
    cdef Py_ssize_t i, j, best_j
    cdef real best, v
    cdef const real* yr
    hits[0] = 0
    total[0] = 0
    for i in range(R):
        if has_ignore and t[i] == ignore:
            continue
        total[0] += 1
        yr = y + i * C
        # numpy.argmax: the first maximum, or the first NaN if there is one
        best = yr[0]
        best_j = 0
        if best == best:
            for j in range(1, C):
                v = yr[j]
                if v != v:
                    best_j = j
                    break
                if v > best:
                    best = v
                    best_j = j
        if best_j == t[i]:
            hits[0] += 1


def accuracy(y, t, ignore_label):
    """Accuracy of scores ``y`` (N, C) against labels ``t`` (N,) as a 0-d array of
    ``y``'s dtype (0 when no label counts), or None when the case does not apply.

    Args:
        y: float32/float64 scores.
        t: int32/int64 labels.
        ignore_label (int or None): labels equal to it are left out.
    """
    if not (plain_layout(y, 2, False) and plain_layout(t, 1, False)):
        return None
    if ignore_label is not None and not (type(ignore_label) is int
                                         and -2**63 <= ignore_label < 2**63):
        return None
    cdef cnp.ndarray ya = <cnp.ndarray>y
    cdef cnp.ndarray ta = <cnp.ndarray>t
    cdef int yt = cnp.PyArray_TYPE(ya), tt = cnp.PyArray_TYPE(ta)
    if not (yt == cnp.NPY_FLOAT32 or yt == cnp.NPY_FLOAT64) or \
            not (tt == cnp.NPY_INT32 or tt == cnp.NPY_INT64):
        return None
    cdef Py_ssize_t R = cnp.PyArray_DIMS(ya)[0], C = cnp.PyArray_DIMS(ya)[1]
    if cnp.PyArray_DIMS(ta)[0] != R or C == 0 or R * C > _MAX_SIZE:
        return None
    cdef bint has_ignore = ignore_label is not None
    cdef long long ignore = ignore_label if has_ignore else 0
    cdef Py_ssize_t hits = 0, total = 0
    cdef void* yp = cnp.PyArray_DATA(ya)
    cdef void* tp = cnp.PyArray_DATA(ta)
    if yt == cnp.NPY_FLOAT32:
        if tt == cnp.NPY_INT32:
            _count(<const float*>yp, <const int*>tp, R, C, has_ignore, ignore, &hits, &total)
        else:
            _count(<const float*>yp, <const long long*>tp, R, C, has_ignore, ignore,
                   &hits, &total)
    else:
        if tt == cnp.NPY_INT32:
            _count(<const double*>yp, <const int*>tp, R, C, has_ignore, ignore, &hits,
                   &total)
        else:
            _count(<const double*>yp, <const long long*>tp, R, C, has_ignore, ignore,
                   &hits, &total)
    cdef double value = (<double>hits / total) if total > 0 else 0.0
    out = cnp.PyArray_EMPTY(0, NULL, yt, 0)
    if yt == cnp.NPY_FLOAT32:
        (<float*>cnp.PyArray_DATA(<cnp.ndarray>out))[0] = <float>value
    else:
        (<double*>cnp.PyArray_DATA(<cnp.ndarray>out))[0] = value
    return out
