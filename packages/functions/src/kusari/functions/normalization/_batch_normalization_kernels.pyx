# cython: language_level=3
"""CPU kernels of batch normalization (private).

``x`` is viewed as a C-contiguous ``(A, C, S)`` array: the statistics of channel ``c``
run over the ``A * S`` elements ``x[:, c, :]``.
"""
cimport cython
from libc.math cimport sqrt


ctypedef fused real:
    float
    double


@cython.boundscheck(False)
@cython.wraparound(False)
def forward(const real[:, :, ::1] x, const real[::1] gamma, const real[::1] beta,
            double eps, real[:, :, ::1] y, double[::1] mean, double[::1] var,
            double[::1] inv_std):
    """Batch statistics (biased variance) and ``y = gamma (x - mean) inv_std + beta``."""
    cdef Py_ssize_t A = x.shape[0], C = x.shape[1], S = x.shape[2], a, c, s
    cdef double m, v, d, n = <double>(A * S), g, bb, sc
    if gamma.shape[0] != C or beta.shape[0] != C or mean.shape[0] != C or \
            var.shape[0] != C or inv_std.shape[0] != C or y.shape[0] != A or \
            y.shape[1] != C or y.shape[2] != S:
        raise ValueError('batch_normalization kernel: inconsistent shapes')
    if n == 0:
        raise ValueError('batch_normalization kernel: empty batch')
    with nogil:
        for c in range(C):
            m = 0.0
            for a in range(A):
                for s in range(S):
                    m += x[a, c, s]
            m /= n
            v = 0.0
            for a in range(A):
                for s in range(S):
                    d = x[a, c, s] - m
                    v += d * d
            v /= n
            mean[c] = m
            var[c] = v
            inv_std[c] = 1.0 / sqrt(v + eps)
        for a in range(A):
            for c in range(C):
                sc = gamma[c] * inv_std[c]
                bb = beta[c] - mean[c] * sc
                for s in range(S):
                    y[a, c, s] = <real>(x[a, c, s] * sc + bb)


@cython.boundscheck(False)
@cython.wraparound(False)
def backward(const real[:, :, ::1] x, const real[::1] gamma, const double[::1] mean,
             const double[::1] inv_std, const real[:, :, ::1] gy, real[:, :, ::1] gx,
             real[::1] ggamma, real[::1] gbeta):
    """Gradients of :func:`forward` (batch statistics) w.r.t. x, gamma and beta."""
    cdef Py_ssize_t A = x.shape[0], C = x.shape[1], S = x.shape[2], a, c, s
    cdef double sg, sgx, xh, n = <double>(A * S), k, istd, m
    if gamma.shape[0] != C or mean.shape[0] != C or inv_std.shape[0] != C or \
            gy.shape[0] != A or gy.shape[1] != C or gy.shape[2] != S or \
            gx.shape[0] != A or gx.shape[1] != C or gx.shape[2] != S or \
            ggamma.shape[0] != C or gbeta.shape[0] != C:
        raise ValueError('batch_normalization kernel: inconsistent shapes')
    with nogil:
        for c in range(C):
            sg = 0.0
            sgx = 0.0
            m = mean[c]
            istd = inv_std[c]
            for a in range(A):
                for s in range(S):
                    sg += gy[a, c, s]
                    sgx += gy[a, c, s] * (x[a, c, s] - m) * istd
            gbeta[c] = <real>sg
            ggamma[c] = <real>sgx
            k = gamma[c] * istd
            sg /= n
            sgx /= n
            for a in range(A):
                for s in range(S):
                    xh = (x[a, c, s] - m) * istd
                    gx[a, c, s] = <real>(k * (gy[a, c, s] - sg - xh * sgx))
