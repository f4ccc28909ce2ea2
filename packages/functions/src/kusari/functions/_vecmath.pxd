# Declarations of the dispatched float32 math loops in _vecmath.h (private; see there).
cdef extern from "kusari/functions/_vecmath.h" nogil:
    void kv_exp(const float* x, float* y, Py_ssize_t n)
    void kv_tanh(const float* x, float* y, Py_ssize_t n)
    void kv_sigmoid(const float* x, float* y, Py_ssize_t n)
    void kv_lstm_act(const float* x, float* act, Py_ssize_t n4)
    double kv_softmax_row(const float* x, float* e, Py_ssize_t n, float* mx)
    int kv_avx2_active()
