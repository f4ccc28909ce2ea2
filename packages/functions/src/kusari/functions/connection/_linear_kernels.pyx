# cython: language_level=3
"""Row kernels of ``F.linear`` on the CPU: the bias added to every row of ``y`` and the
bias gradient (the column sums of ``gy``).

For the small batches of per-step training, ``y += b`` (a broadcast) and
``gy.sum(axis=0)`` cost ~1.5-2.5 us each in NumPy's ufunc machinery, more than the
arithmetic.  These loops read NumPy's C API directly.  Each entry point returns ``None``
(or ``False``) when it does not apply -- an operand that is not exactly a C-contiguous,
aligned, native-order float32/float64 ``numpy.ndarray`` of one dtype, or shapes that do
not fit -- and the caller then uses NumPy.  Every shape is validated before a loop runs.
The column sums add the rows in order, as NumPy does for a reduction over the leading
axis of a C-contiguous array, so the results are bit-identical.
"""
cimport cython
cimport numpy as cnp

from kusari.functions._ndarray_checks cimport plain_float_kind

cnp.import_array()

# Above these many elements of ``y`` / ``g``, NumPy's wider SIMD loops win (timeit on
# this project's 2-core AVX2 VM: the bias add from ~30000, the column sums only near
# a million).
cdef Py_ssize_t _BIAS_MAX_SIZE = 32768
cdef Py_ssize_t _SUM_MAX_SIZE = 262144

ctypedef fused real:
    float
    double

@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _add_rows(real* y, const real* b, Py_ssize_t rows, Py_ssize_t cols) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef real* yr
    for i in range(rows):
        yr = y + i * cols
        for j in range(cols):
            yr[j] = yr[j] + b[j]


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _sum_rows(const real* g, real* out, Py_ssize_t rows,
                    Py_ssize_t cols) noexcept nogil:
    cdef Py_ssize_t i, j
    cdef const real* gr
    for j in range(cols):
        out[j] = g[j]
    for i in range(1, rows):
        gr = g + i * cols
        for j in range(cols):
            out[j] = out[j] + gr[j]


def add_bias(y, b):
    """``y += b`` for ``y`` (N, O) and ``b`` (O,) of one dtype, in place (at most
    32,768 elements in ``y``).

    Returns:
        bool: True when done; False when the kernel does not apply (``y`` unchanged).
    """
    cdef int k = plain_float_kind(y, 2, True)
    if k == 0 or plain_float_kind(b, 1, False) != k:
        return False
    cdef cnp.ndarray ya = <cnp.ndarray>y
    cdef cnp.ndarray ba = <cnp.ndarray>b
    cdef Py_ssize_t rows = cnp.PyArray_DIMS(ya)[0], cols = cnp.PyArray_DIMS(ya)[1]
    if cnp.PyArray_DIMS(ba)[0] != cols or rows * cols > _BIAS_MAX_SIZE:
        return False
    if k == 1:
        _add_rows(<float*>cnp.PyArray_DATA(ya), <float*>cnp.PyArray_DATA(ba), rows, cols)
    else:
        _add_rows(<double*>cnp.PyArray_DATA(ya), <double*>cnp.PyArray_DATA(ba),
                  rows, cols)
    return True


def sum_rows(g):
    """``g.sum(axis=0)`` for ``g`` (N, O) with N >= 1 and at most 262,144 elements: a new
    (O,) array, or None."""
    cdef int k = plain_float_kind(g, 2, False)
    if k == 0:
        return None
    cdef cnp.ndarray ga = <cnp.ndarray>g
    cdef Py_ssize_t rows = cnp.PyArray_DIMS(ga)[0]
    cdef cnp.npy_intp cols = cnp.PyArray_DIMS(ga)[1]
    if rows == 0 or rows * cols > _SUM_MAX_SIZE:
        return None
    out = cnp.PyArray_EMPTY(1, &cols, cnp.PyArray_TYPE(ga), 0)
    if k == 1:
        _sum_rows(<float*>cnp.PyArray_DATA(ga), <float*>cnp.PyArray_DATA(<cnp.ndarray>out),
                  rows, cols)
    else:
        _sum_rows(<double*>cnp.PyArray_DATA(ga),
                  <double*>cnp.PyArray_DATA(<cnp.ndarray>out), rows, cols)
    return out
