# cython: language_level=3
"""Python access to the dispatched float32 loops of ``_vecmath.h`` (private; used by
tests and by functions that want the SIMD loops on whole arrays)."""
from kusari.functions._vecmath cimport kv_avx2_active, kv_exp, kv_sigmoid, kv_tanh


def _check(const float[::1] x, float[::1] y, str who):
    if x.shape[0] != y.shape[0]:
        raise ValueError('%s: x and y differ in size (%d != %d)'
                         % (who, x.shape[0], y.shape[0]))


def exp_f32(const float[::1] x, float[::1] y):
    """``y = exp(x)`` (contiguous float32, equal sizes)."""
    _check(x, y, 'exp_f32')
    if x.shape[0]:
        with nogil:
            kv_exp(&x[0], &y[0], x.shape[0])


def tanh_f32(const float[::1] x, float[::1] y):
    """``y = tanh(x)`` (contiguous float32, equal sizes)."""
    _check(x, y, 'tanh_f32')
    if x.shape[0]:
        with nogil:
            kv_tanh(&x[0], &y[0], x.shape[0])


def sigmoid_f32(const float[::1] x, float[::1] y):
    """``y = 1 / (1 + exp(-x))`` (contiguous float32, equal sizes)."""
    _check(x, y, 'sigmoid_f32')
    if x.shape[0]:
        with nogil:
            kv_sigmoid(&x[0], &y[0], x.shape[0])


def avx2_active():
    """True when the AVX2 + FMA copies of the loops are in use."""
    return bool(kv_avx2_active())
