# cython: language_level=3
"""Single-pass CPU kernels of the activation functions (float32 / float64).

NumPy evaluates an expression such as ``gy * (1 - y * y)`` in several passes with a
temporary array per step; these loops do it in one.  Every kernel takes NumPy arrays,
reads them through NumPy's C API (cheaper than the buffer protocol on small arrays) and
returns the result array, or ``None`` when it does not apply (a dtype other than
float32/float64, mixed dtypes, shapes that differ, a non C-contiguous, misaligned or
byte-swapped operand, an object that is not exactly a ``numpy.ndarray``): the caller then
falls back to its NumPy expression.  All operands are validated before any loop runs;
the loops index raw pointers within the validated size only.

Each kernel was kept only where ``python -m timeit`` showed it faster than the NumPy
expression it replaces (see the comments of the modules that call them).
"""
cimport cython
cimport numpy as cnp
from libc.math cimport exp, expf, expm1, expm1f, log, logf, tanh, tanhf

from kusari.functions._ndarray_checks cimport plain_float_kind, same_shape
from kusari.functions._vecmath cimport kv_sigmoid, kv_tanh

import numpy

cnp.import_array()

# Above this many elements the loops release the GIL.
cdef Py_ssize_t _NOGIL_SIZE = 32768

ctypedef fused real:
    float
    double


@cython.freelist(8)
cdef class _Buffers:
    """Data pointers of up to four operands, each checked before any loop uses it.

    ``add`` accepts an exact ``numpy.ndarray`` that is C-contiguous, aligned, in native
    byte order, float32 (kind 1) or float64 (kind 2), of the same kind and shape as the
    first operand (and writeable when asked).  It reads NumPy's C API directly: the
    buffer protocol costs more than these loops on small arrays.
    """
    cdef void* p[4]
    cdef int n
    cdef int kind
    cdef Py_ssize_t size
    cdef cnp.ndarray first

    def __cinit__(self):
        self.n = 0
        self.kind = -1
        self.size = -1

    cdef bint add(self, object a, bint writable) except -1:
        """Take ``a``'s data pointer; False when it does not qualify (see the class)."""
        if self.n >= 4:
            raise ValueError('_Buffers: at most four operands')
        cdef int k = plain_float_kind(a, -1, writable)
        if k == 0:
            return False
        if self.kind == -1:
            self.kind = k
            self.size = cnp.PyArray_SIZE(<cnp.ndarray>a)
            self.first = <cnp.ndarray>a
        elif k != self.kind or not same_shape(a, self.first):
            return False
        self.p[self.n] = cnp.PyArray_DATA(<cnp.ndarray>a)
        self.n += 1
        return True

    cdef object empty_like_first(self):
        """A new C-contiguous array of the first operand's shape and dtype."""
        return cnp.PyArray_EMPTY(cnp.PyArray_NDIM(self.first),
                                 cnp.PyArray_DIMS(self.first),
                                 cnp.PyArray_TYPE(self.first), 0)

    cdef void release(self):
        self.n = 0
        self.first = None


cdef inline bint _is_ndarray(a):
    return type(a) is numpy.ndarray


# ---- elementwise loops --------------------------------------------------------------

@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _relu_fwd(real* x, real* y, Py_ssize_t n) noexcept nogil:
    # numpy.maximum(x, 0): NaN propagates (not (NaN <= 0)) and -0.0 becomes +0.0; one
    # comparison per element, so that the compiler vectorizes the select
    cdef Py_ssize_t i
    cdef real v
    for i in range(n):
        v = x[i]
        y[i] = 0 if v <= 0 else v


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _tanh_fwd(real* x, real* y, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if real is float:
        kv_tanh(x, y, n)
    else:
        for i in range(n):
            y[i] = tanh(x[i])


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _relu_grad(real* y, real* gy, real* gx, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        gx[i] = (y[i] > 0) * gy[i]


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _tanh_grad(real* y, real* gy, real* gx, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        gx[i] = gy[i] * (1 - y[i] * y[i])


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _sigmoid_fwd(real* x, real* y, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if real is float:
        kv_sigmoid(x, y, n)
    else:
        for i in range(n):
            y[i] = tanh(x[i] * 0.5) * 0.5 + 0.5


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _sigmoid_grad(real* y, real* gy, real* gx, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        gx[i] = gy[i] * y[i] * (1 - y[i])


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _leaky_fwd(real* x, real* y, real slope, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        y[i] = x[i] * (<real>1 if x[i] >= 0 else slope)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _leaky_grad(real* x, real* gy, real* gx, real slope,
                      Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        gx[i] = gy[i] * (<real>1 if x[i] >= 0 else slope)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _elu_fwd(real* x, real* y, real alpha, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if real is float:
        for i in range(n):
            y[i] = x[i] if x[i] > 0 else alpha * expm1f(x[i])
    else:
        for i in range(n):
            y[i] = x[i] if x[i] > 0 else alpha * expm1(x[i])


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _elu_grad(real* x, real* y, real* gy, real* gx, real alpha,
                    Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        gx[i] = gy[i] if x[i] > 0 else gy[i] * (y[i] + alpha)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _clipped_grad(real* x, real* gy, real* gx, real z,
                        Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        gx[i] = ((x[i] > 0) & (x[i] < z)) * gy[i]


# ---- softmax over the last axis -----------------------------------------------------

@cython.boundscheck(False)
@cython.wraparound(False)
@cython.cdivision(True)
cdef void _softmax_rows(real* x, real* y, Py_ssize_t rows, Py_ssize_t n,
                        bint take_log) noexcept nogil:
    cdef Py_ssize_t r, j
    cdef real* xr
    cdef real* yr
    cdef double m, s, ls
    for r in range(rows):
        xr = x + r * n
        yr = y + r * n
        m = xr[0]
        for j in range(1, n):
            if xr[j] > m:
                m = xr[j]
        s = 0
        if take_log:
            for j in range(n):
                s += exp(xr[j] - m)
            ls = log(s) + m
            for j in range(n):
                yr[j] = <real>(xr[j] - ls)
        else:
            if real is float:
                for j in range(n):
                    yr[j] = expf(<float>(xr[j] - m))
                    s += yr[j]
            else:
                for j in range(n):
                    yr[j] = exp(xr[j] - m)
                    s += yr[j]
            s = 1.0 / s
            for j in range(n):
                yr[j] = <real>(yr[j] * s)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _softmax_grad_rows(real* y, real* gy, real* gx, Py_ssize_t rows,
                             Py_ssize_t n, bint take_log) noexcept nogil:
    # softmax:     gx = y * (gy - sum(y * gy))
    # log_softmax: gx = gy - exp(y) * sum(gy)
    cdef Py_ssize_t r, j
    cdef double s
    cdef Py_ssize_t off
    for r in range(rows):
        off = r * n
        s = 0
        if take_log:
            for j in range(n):
                s += gy[off + j]
            for j in range(n):
                gx[off + j] = <real>(gy[off + j] - exp(y[off + j]) * s)
        else:
            for j in range(n):
                s += y[off + j] * gy[off + j]
            for j in range(n):
                gx[off + j] = <real>(y[off + j] * (gy[off + j] - s))


# ---- Python entry points ------------------------------------------------------------

def relu_forward(x, out=None):
    """``numpy.maximum(x, 0)`` in one pass, or None if the kernel does not apply.

    ``out`` (optional) is a C-contiguous array of ``x``'s shape and dtype to write to.
    """
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = bufs.empty_like_first() if out is None else out
        if not bufs.add(y, True):
            return None
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _relu_fwd(<float*>bufs.p[0], <float*>bufs.p[1], bufs.size)
            else:
                _relu_fwd(<float*>bufs.p[0], <float*>bufs.p[1], bufs.size)
        else:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _relu_fwd(<double*>bufs.p[0], <double*>bufs.p[1], bufs.size)
            else:
                _relu_fwd(<double*>bufs.p[0], <double*>bufs.p[1], bufs.size)
        return y
    finally:
        bufs.release()


def tanh_forward(x):
    """``tanh(x)`` in one pass (float32: the SIMD loop of ``_vecmath.h``), or None."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = bufs.empty_like_first()
        bufs.add(y, True)
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _tanh_fwd(<float*>bufs.p[0], <float*>bufs.p[1], bufs.size)
            else:
                _tanh_fwd(<float*>bufs.p[0], <float*>bufs.p[1], bufs.size)
        else:
            with nogil:
                _tanh_fwd(<double*>bufs.p[0], <double*>bufs.p[1], bufs.size)
        return y
    finally:
        bufs.release()


def relu_grad(y, gy, out=None):
    """``gy * (y > 0)`` in one pass, or None if the kernel does not apply.

    ``out`` (optional) is a C-contiguous array of ``y``'s shape and dtype to write to.
    """
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = bufs.empty_like_first() if out is None else out
        if not bufs.add(gx, True):
            return None
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _relu_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                               <float*>bufs.p[2], bufs.size)
            else:
                _relu_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                           <float*>bufs.p[2], bufs.size)
        else:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _relu_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                               <double*>bufs.p[2], bufs.size)
            else:
                _relu_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                           <double*>bufs.p[2], bufs.size)
        return gx
    finally:
        bufs.release()


def tanh_grad(y, gy):
    """``gy * (1 - y * y)`` in one pass, or None if the kernel does not apply."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = bufs.empty_like_first()
        bufs.add(gx, True)
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _tanh_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                               <float*>bufs.p[2], bufs.size)
            else:
                _tanh_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                           <float*>bufs.p[2], bufs.size)
        else:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _tanh_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                               <double*>bufs.p[2], bufs.size)
            else:
                _tanh_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                           <double*>bufs.p[2], bufs.size)
        return gx
    finally:
        bufs.release()


def sigmoid_forward(x):
    """``tanh(x / 2) / 2 + 1 / 2`` in one pass, or None if the kernel does not apply."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = bufs.empty_like_first()
        bufs.add(y, True)
        with nogil:
            if bufs.kind == 1:
                _sigmoid_fwd(<float*>bufs.p[0], <float*>bufs.p[1], bufs.size)
            else:
                _sigmoid_fwd(<double*>bufs.p[0], <double*>bufs.p[1],
                             bufs.size)
        return y
    finally:
        bufs.release()


def sigmoid_grad(y, gy):
    """``gy * y * (1 - y)`` in one pass, or None if the kernel does not apply."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = bufs.empty_like_first()
        bufs.add(gx, True)
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _sigmoid_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                                  <float*>bufs.p[2], bufs.size)
            else:
                _sigmoid_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                              <float*>bufs.p[2], bufs.size)
        else:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _sigmoid_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                                  <double*>bufs.p[2], bufs.size)
            else:
                _sigmoid_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                              <double*>bufs.p[2], bufs.size)
        return gx
    finally:
        bufs.release()


def leaky_relu_forward(x, double slope):
    """``x if x >= 0 else slope * x`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = bufs.empty_like_first()
        bufs.add(y, True)
        with nogil:
            if bufs.kind == 1:
                _leaky_fwd(<float*>bufs.p[0], <float*>bufs.p[1],
                           <float>slope, bufs.size)
            else:
                _leaky_fwd(<double*>bufs.p[0], <double*>bufs.p[1],
                           slope, bufs.size)
        return y
    finally:
        bufs.release()


def leaky_relu_grad(x, gy, double slope):
    """``gy if x >= 0 else slope * gy`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(x, False) and bufs.add(gy, False)):
            return None
        gx = bufs.empty_like_first()
        bufs.add(gx, True)
        with nogil:
            if bufs.kind == 1:
                _leaky_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                            <float*>bufs.p[2], <float>slope, bufs.size)
            else:
                _leaky_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                            <double*>bufs.p[2], slope, bufs.size)
        return gx
    finally:
        bufs.release()


def elu_forward(x, double alpha):
    """``x if x > 0 else alpha * expm1(x)`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = bufs.empty_like_first()
        bufs.add(y, True)
        with nogil:
            if bufs.kind == 1:
                _elu_fwd(<float*>bufs.p[0], <float*>bufs.p[1],
                         <float>alpha, bufs.size)
            else:
                _elu_fwd(<double*>bufs.p[0], <double*>bufs.p[1],
                         alpha, bufs.size)
        return y
    finally:
        bufs.release()


def elu_grad(x, y, gy, double alpha):
    """``gy if x > 0 else gy * (y + alpha)`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(x, False) and bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = bufs.empty_like_first()
        bufs.add(gx, True)
        with nogil:
            if bufs.kind == 1:
                _elu_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                          <float*>bufs.p[2], <float*>bufs.p[3],
                          <float>alpha, bufs.size)
            else:
                _elu_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                          <double*>bufs.p[2], <double*>bufs.p[3],
                          alpha, bufs.size)
        return gx
    finally:
        bufs.release()


def clipped_relu_grad(x, gy, double z):
    """``gy if 0 < x < z else 0`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(x, False) and bufs.add(gy, False)):
            return None
        gx = bufs.empty_like_first()
        bufs.add(gx, True)
        with nogil:
            if bufs.kind == 1:
                _clipped_grad(<float*>bufs.p[0], <float*>bufs.p[1],
                              <float*>bufs.p[2], <float>z, bufs.size)
            else:
                _clipped_grad(<double*>bufs.p[0], <double*>bufs.p[1],
                              <double*>bufs.p[2], z, bufs.size)
        return gx
    finally:
        bufs.release()


def softmax_last_axis(x, bint take_log):
    """Softmax (or log-softmax) over the last axis of a C-contiguous array, or None."""
    if not _is_ndarray(x) or x.ndim == 0:
        return None
    cdef Py_ssize_t n = x.shape[x.ndim - 1]
    if n == 0:
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = bufs.empty_like_first()
        bufs.add(y, True)
        if bufs.size % n != 0:
            return None
        with nogil:
            if bufs.kind == 1:
                _softmax_rows(<float*>bufs.p[0], <float*>bufs.p[1],
                              bufs.size // n, n, take_log)
            else:
                _softmax_rows(<double*>bufs.p[0], <double*>bufs.p[1],
                              bufs.size // n, n, take_log)
        return y
    finally:
        bufs.release()


def softmax_grad_last_axis(y, gy, bint take_log):
    """Gradient of (log-)softmax over the last axis from its output ``y``, or None."""
    if not (_is_ndarray(y) and _is_ndarray(gy)) or y.ndim == 0:
        return None
    cdef Py_ssize_t n = y.shape[y.ndim - 1]
    if n == 0 or y.shape != gy.shape:
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = bufs.empty_like_first()
        bufs.add(gx, True)
        if bufs.size % n != 0:
            return None
        with nogil:
            if bufs.kind == 1:
                _softmax_grad_rows(<float*>bufs.p[0], <float*>bufs.p[1],
                                   <float*>bufs.p[2], bufs.size // n, n, take_log)
            else:
                _softmax_grad_rows(<double*>bufs.p[0], <double*>bufs.p[1],
                                   <double*>bufs.p[2], bufs.size // n, n,
                                   take_log)
        return gx
    finally:
        bufs.release()
