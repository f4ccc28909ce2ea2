# cython: language_level=3
"""Single-pass CPU kernels of the activation functions (float32 / float64).

NumPy evaluates an expression such as ``gy * (1 - y * y)`` in several passes with a
temporary array per step; these loops do it in one.  Every kernel takes NumPy arrays,
reads them through the buffer protocol and returns the result array, or ``None`` when
it does not apply (a dtype other than float32/float64, mixed dtypes, sizes that differ,
a non C-contiguous operand): the caller then falls back to its NumPy expression.  All
sizes are validated before any loop runs; the loops index raw pointers within the
validated sizes only.

Each kernel was kept only where ``python -m timeit`` showed it faster than the NumPy
expression it replaces (see the comments of the modules that call them).
"""
cimport cython
from cpython.buffer cimport (PyBUF_FORMAT, PyBUF_STRIDES, PyBUF_WRITABLE,
                             PyBuffer_IsContiguous, PyBuffer_Release,
                             PyObject_GetBuffer)
from libc.math cimport exp, expf, expm1, expm1f, log, logf, tanh, tanhf

from kusari.functions._vecmath cimport kv_sigmoid
from libc.string cimport strcmp

import numpy

cdef object _empty = numpy.empty

# Above this many elements the loops release the GIL.
cdef Py_ssize_t _NOGIL_SIZE = 32768

ctypedef fused real:
    float
    double


cdef int _kind(Py_buffer* b):
    """1 for a C-contiguous float32 buffer, 2 for float64, 0 otherwise."""
    if b.format == NULL or not PyBuffer_IsContiguous(b, b'C'):
        return 0
    if strcmp(b.format, b'f') == 0 and b.itemsize == 4:
        return 1
    if strcmp(b.format, b'd') == 0 and b.itemsize == 8:
        return 2
    return 0


cdef class _Buffers:
    """Holds up to four acquired buffers and releases them on ``release()``."""
    cdef Py_buffer b[4]
    cdef int n
    cdef int kind
    cdef Py_ssize_t size

    def __cinit__(self):
        self.n = 0
        self.kind = -1
        self.size = -1

    cdef bint add(self, object a, bint writable) except -1:
        """Acquire ``a``; False when it does not match the buffers acquired so far."""
        cdef int flags = PyBUF_STRIDES | PyBUF_FORMAT
        if writable:
            flags |= PyBUF_WRITABLE
        PyObject_GetBuffer(a, &self.b[self.n], flags)
        self.n += 1
        cdef Py_buffer* v = &self.b[self.n - 1]
        cdef int k = _kind(v)
        cdef Py_ssize_t size = v.len // v.itemsize if v.itemsize > 0 else 0
        if k == 0:
            return False
        if self.kind == -1:
            self.kind = k
            self.size = size
            return True
        return k == self.kind and size == self.size

    cdef void release(self):
        cdef int i
        for i in range(self.n):
            PyBuffer_Release(&self.b[i])
        self.n = 0

    def __dealloc__(self):
        self.release()


cdef inline bint _is_ndarray(a):
    return type(a) is numpy.ndarray


# ---- elementwise loops --------------------------------------------------------------

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

def relu_grad(y, gy, out=None):
    """``gy * (y > 0)`` in one pass, or None if the kernel does not apply.

    ``out`` (optional) is a C-contiguous array of ``y``'s shape and dtype to write to.
    """
    if not (_is_ndarray(y) and _is_ndarray(gy)) or y.shape != gy.shape:
        return None
    if out is not None and (not _is_ndarray(out) or out.shape != y.shape):
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = _empty(y.shape, y.dtype) if out is None else out
        if not bufs.add(gx, True):
            return None
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _relu_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                               <float*>bufs.b[2].buf, bufs.size)
            else:
                _relu_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                           <float*>bufs.b[2].buf, bufs.size)
        else:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _relu_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                               <double*>bufs.b[2].buf, bufs.size)
            else:
                _relu_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                           <double*>bufs.b[2].buf, bufs.size)
        return gx
    finally:
        bufs.release()


def tanh_grad(y, gy):
    """``gy * (1 - y * y)`` in one pass, or None if the kernel does not apply."""
    if not (_is_ndarray(y) and _is_ndarray(gy)) or y.shape != gy.shape:
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = _empty(y.shape, y.dtype)
        bufs.add(gx, True)
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _tanh_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                               <float*>bufs.b[2].buf, bufs.size)
            else:
                _tanh_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                           <float*>bufs.b[2].buf, bufs.size)
        else:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _tanh_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                               <double*>bufs.b[2].buf, bufs.size)
            else:
                _tanh_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                           <double*>bufs.b[2].buf, bufs.size)
        return gx
    finally:
        bufs.release()


def sigmoid_forward(x):
    """``tanh(x / 2) / 2 + 1 / 2`` in one pass, or None if the kernel does not apply."""
    if not _is_ndarray(x):
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = _empty(x.shape, x.dtype)
        bufs.add(y, True)
        with nogil:
            if bufs.kind == 1:
                _sigmoid_fwd(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf, bufs.size)
            else:
                _sigmoid_fwd(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                             bufs.size)
        return y
    finally:
        bufs.release()


def sigmoid_grad(y, gy):
    """``gy * y * (1 - y)`` in one pass, or None if the kernel does not apply."""
    if not (_is_ndarray(y) and _is_ndarray(gy)) or y.shape != gy.shape:
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = _empty(y.shape, y.dtype)
        bufs.add(gx, True)
        if bufs.kind == 1:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _sigmoid_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                                  <float*>bufs.b[2].buf, bufs.size)
            else:
                _sigmoid_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                              <float*>bufs.b[2].buf, bufs.size)
        else:
            if bufs.size >= _NOGIL_SIZE:
                with nogil:
                    _sigmoid_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                                  <double*>bufs.b[2].buf, bufs.size)
            else:
                _sigmoid_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                              <double*>bufs.b[2].buf, bufs.size)
        return gx
    finally:
        bufs.release()


def leaky_relu_forward(x, double slope):
    """``x if x >= 0 else slope * x`` in one pass, or None."""
    if not _is_ndarray(x):
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = _empty(x.shape, x.dtype)
        bufs.add(y, True)
        with nogil:
            if bufs.kind == 1:
                _leaky_fwd(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                           <float>slope, bufs.size)
            else:
                _leaky_fwd(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                           slope, bufs.size)
        return y
    finally:
        bufs.release()


def leaky_relu_grad(x, gy, double slope):
    """``gy if x >= 0 else slope * gy`` in one pass, or None."""
    if not (_is_ndarray(x) and _is_ndarray(gy)) or x.shape != gy.shape:
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(x, False) and bufs.add(gy, False)):
            return None
        gx = _empty(x.shape, x.dtype)
        bufs.add(gx, True)
        with nogil:
            if bufs.kind == 1:
                _leaky_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                            <float*>bufs.b[2].buf, <float>slope, bufs.size)
            else:
                _leaky_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                            <double*>bufs.b[2].buf, slope, bufs.size)
        return gx
    finally:
        bufs.release()


def elu_forward(x, double alpha):
    """``x if x > 0 else alpha * expm1(x)`` in one pass, or None."""
    if not _is_ndarray(x):
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not bufs.add(x, False):
            return None
        y = _empty(x.shape, x.dtype)
        bufs.add(y, True)
        with nogil:
            if bufs.kind == 1:
                _elu_fwd(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                         <float>alpha, bufs.size)
            else:
                _elu_fwd(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                         alpha, bufs.size)
        return y
    finally:
        bufs.release()


def elu_grad(x, y, gy, double alpha):
    """``gy if x > 0 else gy * (y + alpha)`` in one pass, or None."""
    if not (_is_ndarray(x) and _is_ndarray(y) and _is_ndarray(gy)) or \
            x.shape != gy.shape or y.shape != gy.shape:
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(x, False) and bufs.add(y, False) and bufs.add(gy, False)):
            return None
        gx = _empty(x.shape, x.dtype)
        bufs.add(gx, True)
        with nogil:
            if bufs.kind == 1:
                _elu_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                          <float*>bufs.b[2].buf, <float*>bufs.b[3].buf,
                          <float>alpha, bufs.size)
            else:
                _elu_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                          <double*>bufs.b[2].buf, <double*>bufs.b[3].buf,
                          alpha, bufs.size)
        return gx
    finally:
        bufs.release()


def clipped_relu_grad(x, gy, double z):
    """``gy if 0 < x < z else 0`` in one pass, or None."""
    if not (_is_ndarray(x) and _is_ndarray(gy)) or x.shape != gy.shape:
        return None
    cdef _Buffers bufs = _Buffers()
    try:
        if not (bufs.add(x, False) and bufs.add(gy, False)):
            return None
        gx = _empty(x.shape, x.dtype)
        bufs.add(gx, True)
        with nogil:
            if bufs.kind == 1:
                _clipped_grad(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                              <float*>bufs.b[2].buf, <float>z, bufs.size)
            else:
                _clipped_grad(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                              <double*>bufs.b[2].buf, z, bufs.size)
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
        y = _empty(x.shape, x.dtype)
        bufs.add(y, True)
        if bufs.size % n != 0:
            return None
        with nogil:
            if bufs.kind == 1:
                _softmax_rows(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                              bufs.size // n, n, take_log)
            else:
                _softmax_rows(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
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
        gx = _empty(y.shape, y.dtype)
        bufs.add(gx, True)
        if bufs.size % n != 0:
            return None
        with nogil:
            if bufs.kind == 1:
                _softmax_grad_rows(<float*>bufs.b[0].buf, <float*>bufs.b[1].buf,
                                   <float*>bufs.b[2].buf, bufs.size // n, n, take_log)
            else:
                _softmax_grad_rows(<double*>bufs.b[0].buf, <double*>bufs.b[1].buf,
                                   <double*>bufs.b[2].buf, bufs.size // n, n,
                                   take_log)
        return gx
    finally:
        bufs.release()
