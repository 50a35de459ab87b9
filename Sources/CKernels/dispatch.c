/* Run-time selection of kernel variants. */
#include "internal.h"

int ck_variant_available(ck_variant v) {
    switch (v) {
    case CK_SCALAR: return 1;
#if defined(__x86_64__) || defined(__i386__)
    case CK_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
    default: return 0;
    }
}

ck_variant ck_best_variant(void) {
    static int cached = -1;
    int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c < 0) {
        c = ck_variant_available(CK_AVX2) ? CK_AVX2 : CK_SCALAR;
        __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    }
    return (ck_variant)c;
}

const char *ck_variant_name(ck_variant v) {
    switch (v) {
    case CK_SCALAR: return "scalar";
    case CK_AVX2: return "avx2";
    default: return "unknown";
    }
}

/* An unavailable variant silently falls back to the reference (same results by construction). */
static int fast(ck_variant v) { return v == CK_AVX2 && ck_best_variant() == CK_AVX2; }

void ck_adam(ck_variant var, size_t n, const float *g, float *w, float *m, float *v, const float *mask,
             const ck_adam_params *p) {
    if (fast(var)) ck_adam_avx2(n, g, w, m, v, mask, p); else ck_adam_scalar(n, g, w, m, v, mask, p);
}

void ck_relu_forward(ck_variant var, size_t n, const float *x, float *y) {
    if (fast(var)) ck_relu_forward_avx2(n, x, y); else ck_relu_forward_scalar(n, x, y);
}

void ck_relu_backward(ck_variant var, size_t n, const float *g, const float *y, float *out) {
    if (fast(var)) ck_relu_backward_avx2(n, g, y, out); else ck_relu_backward_scalar(n, g, y, out);
}

void ck_column_sums(ck_variant var, size_t rows, size_t cols, const float *m, float *out, float beta) {
    if (fast(var)) ck_column_sums_avx2(rows, cols, m, out, beta); else ck_column_sums_scalar(rows, cols, m, out, beta);
}

void ck_multiply(ck_variant var, size_t n, const float *a, const float *b, float *c) {
    if (fast(var)) ck_multiply_avx2(n, a, b, c); else ck_multiply_scalar(n, a, b, c);
}

/* AVX2 and FMA both reported by cpuid (cached): the FMA kernels (packed products, attention, GELU) need both. */
int ck_cpu_has_avx2_fma(void) {
#if defined(__x86_64__) || defined(__i386__)
    static int cached = -1;
    int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c < 0) {
        __builtin_cpu_init();
        c = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    }
    return c;
#else
    return 0;
#endif
}
