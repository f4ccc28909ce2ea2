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
from cpython.pystate cimport PyThreadState
from libc.math cimport exp, expf, expm1, expm1f, log, logf, tanh, tanhf

from kusari.functions._ndarray_checks cimport plain_float_kind, same_shape
from kusari.functions._vecmath cimport kv_sigmoid, kv_tanh

import numpy

cnp.import_array()

# From this many elements on, the loops run without the GIL.
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


# ---- running a loop -----------------------------------------------------------------

# The loops by number, for ``_run``.
cdef enum:
    _RELU_FWD
    _TANH_FWD
    _SIGMOID_FWD
    _LEAKY_FWD
    _ELU_FWD
    _RELU_GRAD
    _TANH_GRAD
    _SIGMOID_GRAD
    _LEAKY_GRAD
    _ELU_GRAD
    _CLIPPED_GRAD
    _SOFTMAX
    _SOFTMAX_GRAD


cdef inline void _loop(int op, void** p, Py_ssize_t size, real a,
                       Py_ssize_t cols) noexcept nogil:
    # The arrays p are the loop's array arguments in order, a its scalar argument
    # (take_log for the softmax loops) and cols the length of a softmax row.
    if op == _RELU_FWD:
        _relu_fwd(<real*>p[0], <real*>p[1], size)
    elif op == _TANH_FWD:
        _tanh_fwd(<real*>p[0], <real*>p[1], size)
    elif op == _SIGMOID_FWD:
        _sigmoid_fwd(<real*>p[0], <real*>p[1], size)
    elif op == _LEAKY_FWD:
        _leaky_fwd(<real*>p[0], <real*>p[1], a, size)
    elif op == _ELU_FWD:
        _elu_fwd(<real*>p[0], <real*>p[1], a, size)
    elif op == _RELU_GRAD:
        _relu_grad(<real*>p[0], <real*>p[1], <real*>p[2], size)
    elif op == _TANH_GRAD:
        _tanh_grad(<real*>p[0], <real*>p[1], <real*>p[2], size)
    elif op == _SIGMOID_GRAD:
        _sigmoid_grad(<real*>p[0], <real*>p[1], <real*>p[2], size)
    elif op == _LEAKY_GRAD:
        _leaky_grad(<real*>p[0], <real*>p[1], <real*>p[2], a, size)
    elif op == _ELU_GRAD:
        _elu_grad(<real*>p[0], <real*>p[1], <real*>p[2], <real*>p[3], a, size)
    elif op == _CLIPPED_GRAD:
        _clipped_grad(<real*>p[0], <real*>p[1], <real*>p[2], a, size)
    elif op == _SOFTMAX:
        _softmax_rows(<real*>p[0], <real*>p[1], size // cols, cols, a != 0)
    elif op == _SOFTMAX_GRAD:
        _softmax_grad_rows(<real*>p[0], <real*>p[1], <real*>p[2], size // cols, cols,
                           a != 0)


cdef inline void _dtype_loop(int op, int kind, void** p, Py_ssize_t size, double a,
                             Py_ssize_t cols) noexcept nogil:
    # the float32 (kind 1, with a rounded to float32) or float64 loop
    if kind == 1:
        _loop[float](op, p, size, <float>a, cols)
    else:
        _loop[double](op, p, size, a, cols)


cdef extern from "Python.h":
    PyThreadState* PyEval_SaveThread()
    void PyEval_RestoreThread(PyThreadState* state)


cdef inline void _run(int op, _Buffers bufs, double a=0, Py_ssize_t cols=0) noexcept:
    """Run loop ``op`` on the operands of ``bufs`` (see ``_loop``), without the GIL from
    ``_NOGIL_SIZE`` elements on.

    Inlined with a constant ``op``, this is one call of one loop.  The GIL is released
    by hand (the calls that ``with nogil`` makes; in between only the C loop runs):
    Cython's ``with nogil(condition)`` takes only compile-time conditions, and a
    ``with nogil`` branch next to a plain one compiles every loop twice into the entry
    point (the float32 log-softmax gradient ran 10% slower on 4096 elements).
    """
    cdef int kind = bufs.kind
    cdef void** p = bufs.p
    cdef Py_ssize_t size = bufs.size
    cdef PyThreadState* released = PyEval_SaveThread() if size >= _NOGIL_SIZE else NULL
    _dtype_loop(op, kind, p, size, a, cols)
    if released != NULL:
        PyEval_RestoreThread(released)


# ---- Python entry points ------------------------------------------------------------
#
# Each checks its operands (``_operands``), then runs its loop on them (``_run``).

# The default of the optional inputs of ``_operands``: no array (``None`` is an
# argument that the kernels refuse).
cdef object _ABSENT = object()


cdef inline object _operands(_Buffers bufs, object out, object x0, object x1=_ABSENT,
                             object x2=_ABSENT):
    """Add the inputs ``x0`` (, ``x1``, ``x2``) and then the output to ``bufs``.

    The output is ``out``, or a new array like ``x0`` when ``out`` is None.  Returns the
    output, or None when an operand does not qualify (see ``_Buffers``).
    """
    if not (bufs.add(x0, False) and (x1 is _ABSENT or bufs.add(x1, False))
            and (x2 is _ABSENT or bufs.add(x2, False))):
        return None
    y = bufs.empty_like_first() if out is None else out
    return y if bufs.add(y, True) else None


def relu_forward(x, out=None):
    """``numpy.maximum(x, 0)`` in one pass, or None if the kernel does not apply.

    ``out`` (optional) is a C-contiguous array of ``x``'s shape and dtype to write to.
    """
    cdef _Buffers bufs = _Buffers()
    y = _operands(bufs, out, x)
    if y is not None:
        _run(_RELU_FWD, bufs)
    return y


def tanh_forward(x):
    """``tanh(x)`` in one pass (float32: the SIMD loop of ``_vecmath.h``), or None."""
    cdef _Buffers bufs = _Buffers()
    y = _operands(bufs, None, x)
    if y is not None:
        _run(_TANH_FWD, bufs)
    return y


def relu_grad(y, gy, out=None):
    """``gy * (y > 0)`` in one pass, or None if the kernel does not apply.

    ``out`` (optional) is a C-contiguous array of ``y``'s shape and dtype to write to.
    """
    cdef _Buffers bufs = _Buffers()
    gx = _operands(bufs, out, y, gy)
    if gx is not None:
        _run(_RELU_GRAD, bufs)
    return gx


def tanh_grad(y, gy):
    """``gy * (1 - y * y)`` in one pass, or None if the kernel does not apply."""
    cdef _Buffers bufs = _Buffers()
    gx = _operands(bufs, None, y, gy)
    if gx is not None:
        _run(_TANH_GRAD, bufs)
    return gx


def sigmoid_forward(x):
    """``tanh(x / 2) / 2 + 1 / 2`` in one pass, or None if the kernel does not apply."""
    cdef _Buffers bufs = _Buffers()
    y = _operands(bufs, None, x)
    if y is not None:
        _run(_SIGMOID_FWD, bufs)
    return y


def sigmoid_grad(y, gy):
    """``gy * y * (1 - y)`` in one pass, or None if the kernel does not apply."""
    cdef _Buffers bufs = _Buffers()
    gx = _operands(bufs, None, y, gy)
    if gx is not None:
        _run(_SIGMOID_GRAD, bufs)
    return gx


def leaky_relu_forward(x, double slope):
    """``x if x >= 0 else slope * x`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    y = _operands(bufs, None, x)
    if y is not None:
        _run(_LEAKY_FWD, bufs, slope)
    return y


def leaky_relu_grad(x, gy, double slope):
    """``gy if x >= 0 else slope * gy`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    gx = _operands(bufs, None, x, gy)
    if gx is not None:
        _run(_LEAKY_GRAD, bufs, slope)
    return gx


def elu_forward(x, double alpha):
    """``x if x > 0 else alpha * expm1(x)`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    y = _operands(bufs, None, x)
    if y is not None:
        _run(_ELU_FWD, bufs, alpha)
    return y


def elu_grad(x, y, gy, double alpha):
    """``gy if x > 0 else gy * (y + alpha)`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    gx = _operands(bufs, None, x, y, gy)
    if gx is not None:
        _run(_ELU_GRAD, bufs, alpha)
    return gx


def clipped_relu_grad(x, gy, double z):
    """``gy if 0 < x < z else 0`` in one pass, or None."""
    cdef _Buffers bufs = _Buffers()
    gx = _operands(bufs, None, x, gy)
    if gx is not None:
        _run(_CLIPPED_GRAD, bufs, z)
    return gx


def softmax_last_axis(x, bint take_log):
    """Softmax (or log-softmax) over the last axis of a C-contiguous array, or None."""
    if not _is_ndarray(x) or x.ndim == 0:
        return None
    cdef Py_ssize_t n = x.shape[x.ndim - 1]
    if n == 0:
        return None
    cdef _Buffers bufs = _Buffers()
    y = _operands(bufs, None, x)
    if y is None or bufs.size % n != 0:
        return None
    _run(_SOFTMAX, bufs, take_log, n)
    return y


def softmax_grad_last_axis(y, gy, bint take_log):
    """Gradient of (log-)softmax over the last axis from its output ``y``, or None."""
    if not (_is_ndarray(y) and _is_ndarray(gy)) or y.ndim == 0:
        return None
    cdef Py_ssize_t n = y.shape[y.ndim - 1]
    if n == 0 or y.shape != gy.shape:
        return None
    cdef _Buffers bufs = _Buffers()
    gx = _operands(bufs, None, y, gy)
    if gx is None or bufs.size % n != 0:
        return None
    _run(_SOFTMAX_GRAD, bufs, take_log, n)
    return gx
