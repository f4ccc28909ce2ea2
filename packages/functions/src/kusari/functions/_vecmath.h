/* Vectorizable float32 math loops for the CPU kernels of kusari-functions (private).
 *
 * libm's expf/tanhf are scalar calls, and NumPy's float32 exp runs at a few ns per
 * element on AVX2-only CPUs.  The functions below evaluate exp with a branch-free
 * polynomial (range reduction by ln 2, a degree-6 polynomial on [-ln2/2, ln2/2],
 * 2^n assembled from exponent bits), which a C compiler turns into SIMD code.  Each
 * loop is compiled twice: once for the baseline target and once with AVX2 + FMA
 * (GCC/Clang ``target`` attribute); the AVX2 copy is picked at run time when the CPU
 * has it, so wheels stay portable.  Setting the environment variable
 * ``KUSARI_DISABLE_AVX2=1`` before the first call forces the baseline copy.
 *
 * Accuracy: relative error of exp below 2e-7 over the whole float range (results
 * that underflow are flushed to 0 below -103.9, overflow gives +inf, NaN
 * propagates); tanh/sigmoid within a few ulp.
 */
#ifndef KUSARI_VECMATH_H
#define KUSARI_VECMATH_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
#define KV_X86_DISPATCH 1
#define KV_AVX2_TARGET __attribute__((target("avx2,fma")))
#endif

#define KV_INLINE static inline __attribute__((always_inline))

/* ---- scalar forms (always inlined into the loops below) -------------------------- */

KV_INLINE float kv_bits_to_float(int32_t i)
{
    float f;
    memcpy(&f, &i, sizeof f);
    return f;
}

KV_INLINE float kv_expf(float x)
{
    /* NaN passes the clamps and yields NaN through the polynomial */
    float xc = x > 88.8f ? 88.8f : x;
    xc = xc < -104.0f ? -104.0f : xc;
    float z = xc * 1.44269504088896341f;
    float n = (z + 12582912.0f) - 12582912.0f;      /* round to nearest integer */
    float r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    /* 2^n as 2^(n/2) * 2^(n - n/2): both factors stay normal for n in [-150, 128] */
    int32_t ni = (int32_t)n;
    int32_t n1 = ni / 2;
    int32_t n2 = ni - n1;
    p = p * kv_bits_to_float((int32_t)((uint32_t)(n1 + 127) << 23))
          * kv_bits_to_float((int32_t)((uint32_t)(n2 + 127) << 23));
    p = x > 88.72283935546875f ? __builtin_inff() : p;
    return x < -103.972084045410f ? 0.0f : p;
}

KV_INLINE float kv_tanhf(float v)
{
    float av = v < 0.0f ? -v : v;
    float e = kv_expf(-2.0f * av);
    float t = (1.0f - e) / (1.0f + e);
    float q = v * v;
    /* odd Taylor series near 0, where (1 - e) / (1 + e) would cancel */
    float s = v + v * q * (-0.333333333333333f + q * (0.133333333333333f
                                                       + q * -0.053968253968254f));
    t = v < 0.0f ? -t : t;
    return av < 0.0625f ? s : t;
}

KV_INLINE float kv_sigmoidf(float v)
{
    return 1.0f / (1.0f + kv_expf(-v));
}

/* ---- loop bodies ------------------------------------------------------------------ */

KV_INLINE void kv_exp_body(const float *x, float *y, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; ++i)
        y[i] = kv_expf(x[i]);
}

KV_INLINE void kv_tanh_body(const float *x, float *y, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; ++i)
        y[i] = kv_tanhf(x[i]);
}

KV_INLINE void kv_sigmoid_body(const float *x, float *y, ptrdiff_t n)
{
    for (ptrdiff_t i = 0; i < n; ++i)
        y[i] = kv_sigmoidf(x[i]);
}

/* act[4u] = tanh(x[4u]); act[4u + k] = tanh(x[4u + k] / 2) for k = 1, 2, 3 */
KV_INLINE void kv_lstm_act_body(const float *x, float *act, ptrdiff_t n4)
{
    for (ptrdiff_t u = 0; u < n4; ++u) {
        act[4 * u] = kv_tanhf(x[4 * u]);
        act[4 * u + 1] = kv_tanhf(x[4 * u + 1] * 0.5f);
        act[4 * u + 2] = kv_tanhf(x[4 * u + 2] * 0.5f);
        act[4 * u + 3] = kv_tanhf(x[4 * u + 3] * 0.5f);
    }
}

/* GCC/Clang vector extensions: eight float lanes (two SSE registers on the baseline
 * target, one AVX register in the AVX2 copies) */
typedef float kv_v8f __attribute__((vector_size(32)));
typedef int32_t kv_v8i __attribute__((vector_size(32)));

/* e = exp(x - max(x)) over one row of n > 0 values; returns the max in *mx and the
 * sum of e (accumulated in eight float lanes, added up in double) */
KV_INLINE double kv_softmax_row_body(const float *x, float *e, ptrdiff_t n, float *mx)
{
    float lane[8];
    ptrdiff_t i = 0, k;
    float m = x[0];
    if (n >= 8) {
        /* a select written with masks, which compilers vectorize without
         * -ffinite-math-only (NaNs never win, as in the scalar loop) */
        kv_v8f acc, v;
        kv_v8i gt;
        memcpy(&acc, x, sizeof acc);
        for (i = 8; i + 8 <= n; i += 8) {
            memcpy(&v, x + i, sizeof v);
            gt = v > acc;
            acc = (kv_v8f)(((kv_v8i)v & gt) | ((kv_v8i)acc & ~gt));
        }
        memcpy(lane, &acc, sizeof acc);
        for (k = 0; k < 8; ++k)
            m = lane[k] > m ? lane[k] : m;
    }
    for (; i < n; ++i)
        m = x[i] > m ? x[i] : m;
    *mx = m;
    for (k = 0; k < 8; ++k)
        lane[k] = 0.0f;
    for (i = 0; i + 8 <= n; i += 8)
        for (k = 0; k < 8; ++k) {
            float v = kv_expf(x[i + k] - m);
            e[i + k] = v;
            lane[k] += v;
        }
    double s = 0.0;
    for (; i < n; ++i) {
        float v = kv_expf(x[i] - m);
        e[i] = v;
        s += v;
    }
    for (k = 0; k < 8; ++k)
        s += lane[k];
    return s;
}

/* ---- dispatch ------------------------------------------------------------------- */

static int kv_avx2_state = -1;

static inline int kv_use_avx2(void)
{
#ifdef KV_X86_DISPATCH
    if (kv_avx2_state < 0) {
        const char *off = getenv("KUSARI_DISABLE_AVX2");
        __builtin_cpu_init();
        kv_avx2_state = (off == NULL || off[0] == '\0' || off[0] == '0')
                        && __builtin_cpu_supports("avx2")
                        && __builtin_cpu_supports("fma");
    }
    return kv_avx2_state;
#else
    return 0;
#endif
}

#ifdef KV_X86_DISPATCH
#define KV_DISPATCH(ret, name, params, args)                                       \
    static ret name##_base params { return name##_body args; }                      \
    KV_AVX2_TARGET static ret name##_avx2 params { return name##_body args; }       \
    static inline ret name params                                                   \
    {                                                                               \
        return kv_use_avx2() ? name##_avx2 args : name##_base args;                 \
    }
#define KV_DISPATCH_VOID(name, params, args)                                       \
    static void name##_base params { name##_body args; }                            \
    KV_AVX2_TARGET static void name##_avx2 params { name##_body args; }             \
    static inline void name params                                                  \
    {                                                                               \
        if (kv_use_avx2())                                                          \
            name##_avx2 args;                                                       \
        else                                                                        \
            name##_base args;                                                       \
    }
#else
#define KV_DISPATCH(ret, name, params, args)                                       \
    static inline ret name params { return name##_body args; }
#define KV_DISPATCH_VOID(name, params, args)                                       \
    static inline void name params { name##_body args; }
#endif

KV_DISPATCH_VOID(kv_exp, (const float *x, float *y, ptrdiff_t n), (x, y, n))
KV_DISPATCH_VOID(kv_tanh, (const float *x, float *y, ptrdiff_t n), (x, y, n))
KV_DISPATCH_VOID(kv_sigmoid, (const float *x, float *y, ptrdiff_t n), (x, y, n))
KV_DISPATCH_VOID(kv_lstm_act, (const float *x, float *act, ptrdiff_t n4), (x, act, n4))
KV_DISPATCH(double, kv_softmax_row,
            (const float *x, float *e, ptrdiff_t n, float *mx), (x, e, n, mx))

/* 1 when the AVX2 copies are in use (for tests and diagnostics) */
static inline int kv_avx2_active(void) { return kv_use_avx2(); }

#endif  /* KUSARI_VECMATH_H */
