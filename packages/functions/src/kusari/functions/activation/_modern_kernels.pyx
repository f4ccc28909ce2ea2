# cython: language_level=3
"""Single-pass CPU kernels of the modern activations (GELU, SiLU, Mish, ...).

``forward(op, x)`` returns ``f(x)`` and ``grad(op, x, gy)`` returns ``gy * f'(x)``
for the activation numbered ``op`` (the ``OP_*`` constants).  The arrays must be
C-contiguous float32 or float64 arrays of one dtype and size (the callers make them
so); this is checked before any loop runs.  Each element is evaluated in double
precision (``erf``/``erfc`` from libm, which NumPy does not offer) and stored in the
dtype of ``x``.
"""
cimport cython
from libc.math cimport erfc, exp, fabs, log1p, tanh

import numpy

OP_GELU = 0
OP_GELU_TANH = 1
OP_SILU = 2
OP_MISH = 3
OP_HARD_SWISH = 4
OP_SOFTSIGN = 5
OP_LOG_SIGMOID = 6
OP_NDTR = 7
_N_OPS = 8

cdef double _SQRT1_2 = 0.70710678118654752440
cdef double _INV_SQRT_2PI = 0.39894228040143267794
cdef double _TANH_C = 0.79788456080286535588   # sqrt(2 / pi)
cdef double _TANH_A = 0.044715

ctypedef fused real:
    float
    double


cdef inline double _sigmoid(double x) noexcept nogil:
    cdef double e
    if x >= 0:
        return 1.0 / (1.0 + exp(-x))
    e = exp(x)
    return e / (1.0 + e)


cdef inline double _softplus(double x) noexcept nogil:
    return (x if x > 0 else 0.0) + log1p(exp(-fabs(x)))


cdef inline double _ndtr(double x) noexcept nogil:
    return 0.5 * erfc(-x * _SQRT1_2)


cdef inline double _fwd(int op, double x) noexcept nogil:
    cdef double t
    if op == 0:
        return x * _ndtr(x)
    if op == 1:
        return 0.5 * x * (1.0 + tanh(_TANH_C * (x + _TANH_A * x * x * x)))
    if op == 2:
        return x * _sigmoid(x)
    if op == 3:
        return x * tanh(_softplus(x))
    if op == 4:
        t = x + 3.0
        if t < 0:
            t = 0
        elif t > 6:
            t = 6
        return x * t / 6.0
    if op == 5:
        return x / (1.0 + fabs(x))
    if op == 6:
        return (x if x < 0 else 0.0) - log1p(exp(-fabs(x)))
    return _ndtr(x)


cdef inline double _deriv(int op, double x) noexcept nogil:
    cdef double t, s, a
    if op == 0:
        return _ndtr(x) + x * _INV_SQRT_2PI * exp(-0.5 * x * x)
    if op == 1:
        t = tanh(_TANH_C * (x + _TANH_A * x * x * x))
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * _TANH_C * (
            1.0 + 3.0 * _TANH_A * x * x)
    if op == 2:
        s = _sigmoid(x)
        return s * (1.0 + x * (1.0 - s))
    if op == 3:
        t = tanh(_softplus(x))
        return t + x * _sigmoid(x) * (1.0 - t * t)
    if op == 4:
        if x < -3.0:
            return 0.0
        if x <= 3.0:
            return x / 3.0 + 0.5
        return 1.0
    if op == 5:
        a = 1.0 + fabs(x)
        return 1.0 / (a * a)
    if op == 6:
        return _sigmoid(-x)
    return _INV_SQRT_2PI * exp(-0.5 * x * x)


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _fwd_loop(int op, const real[::1] x, real[::1] y) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(x.shape[0]):
        y[i] = <real>_fwd(op, x[i])


@cython.boundscheck(False)
@cython.wraparound(False)
cdef void _grad_loop(int op, const real[::1] x, const real[::1] gy,
                     real[::1] gx) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(x.shape[0]):
        gx[i] = <real>(gy[i] * _deriv(op, x[i]))


def _check(op, x, others=()):
    if not 0 <= op < _N_OPS:
        raise ValueError('_modern_kernels: unknown op %r' % (op,))
    if x.dtype != numpy.float32 and x.dtype != numpy.float64:
        raise TypeError('_modern_kernels: x must be float32 or float64, got %s'
                        % x.dtype)
    if not x.flags.c_contiguous:
        raise ValueError('_modern_kernels: x must be C-contiguous')
    for a in others:
        if a.dtype != x.dtype or a.size != x.size or not a.flags.c_contiguous:
            raise ValueError('_modern_kernels: operands must be C-contiguous arrays '
                             'of one dtype and size')


def forward(int op, x):
    """``f(x)`` of activation ``op`` for a C-contiguous float32/float64 array ``x``."""
    _check(op, x)
    y = numpy.empty_like(x)
    x1 = x.reshape(-1)
    y1 = y.reshape(-1)
    if x.dtype == numpy.float32:
        _fwd_loop[float](op, x1, y1)
    else:
        _fwd_loop[double](op, x1, y1)
    return y


def grad(int op, x, gy):
    """``gy * f'(x)`` of activation ``op`` (C-contiguous, one float dtype)."""
    _check(op, x, (gy,))
    gx = numpy.empty_like(x)
    x1 = x.reshape(-1)
    g1 = gy.reshape(-1)
    gx1 = gx.reshape(-1)
    if x.dtype == numpy.float32:
        _grad_loop[float](op, x1, g1, gx1)
    else:
        _grad_loop[double](op, x1, g1, gx1)
    return gx
