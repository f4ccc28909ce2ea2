# Operand checks shared by the kernels that read NumPy's C API (private; inline
# functions only, so there is no module behind this file).  A kernel that uses them
# calls ``cnp.import_array()`` at import, as every C-API user must.
cimport numpy as cnp


cdef inline bint plain_layout(object a, int ndim, bint writable) noexcept:
    """True for an exact ``numpy.ndarray`` (no subclass) that is C-contiguous, aligned,
    in native byte order, has ``ndim`` axes (any number when ``ndim < 0``) and, when
    ``writable``, is writeable."""
    if not cnp.PyArray_CheckExact(a):
        return False
    cdef cnp.ndarray arr = <cnp.ndarray>a
    cdef int need = cnp.NPY_ARRAY_C_CONTIGUOUS | cnp.NPY_ARRAY_ALIGNED
    if writable:
        need |= cnp.NPY_ARRAY_WRITEABLE
    return ((cnp.PyArray_FLAGS(arr) & need) == need and cnp.PyArray_ISNOTSWAPPED(arr)
            and (ndim < 0 or cnp.PyArray_NDIM(arr) == ndim))


cdef inline int float_kind(object a) noexcept:
    """1 for a float32 array, 2 for float64, 0 otherwise (``a`` must be an ndarray)."""
    cdef int t = cnp.PyArray_TYPE(<cnp.ndarray>a)
    if t == cnp.NPY_FLOAT32:
        return 1
    if t == cnp.NPY_FLOAT64:
        return 2
    return 0


cdef inline int plain_float_kind(object a, int ndim, bint writable) noexcept:
    """``float_kind(a)`` when ``plain_layout(a, ndim, writable)``, else 0."""
    if not plain_layout(a, ndim, writable):
        return 0
    return float_kind(a)


cdef inline bint same_shape(object a, object b) noexcept:
    """Whether two ndarrays have the same shape."""
    cdef cnp.ndarray x = <cnp.ndarray>a
    cdef cnp.ndarray y = <cnp.ndarray>b
    cdef int d, nd = cnp.PyArray_NDIM(x)
    if cnp.PyArray_NDIM(y) != nd:
        return False
    for d in range(nd):
        if cnp.PyArray_DIMS(x)[d] != cnp.PyArray_DIMS(y)[d]:
            return False
    return True
