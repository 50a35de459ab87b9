/* AVX2 variants (compiled per function with target("avx2"); called only after a CPU check).
 * No "fma" target: every product and sum rounds exactly as in the scalar reference, and the
 * tails use the reference's element steps, so results are equal bit for bit. */
#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

INLINE AVX2 void adam_loop(size_t n, const float *g, float *w, float *m, float *v, const float *mask,
                           const ck_adam_params *p, int masked) {
    const __m256 b1 = _mm256_set1_ps(p->beta1), b2 = _mm256_set1_ps(p->beta2);
    const __m256 c1 = _mm256_set1_ps(p->one_minus_beta1), c2 = _mm256_set1_ps(p->one_minus_beta2);
    const __m256 eps = _mm256_set1_ps(p->epsilon), ss = _mm256_set1_ps(p->step_size);
    const __m256 isb = _mm256_set1_ps(p->inv_sqrt_bc2), dec = _mm256_set1_ps(p->decay);
    const __m256 l2 = _mm256_set1_ps(p->l2);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 wi = _mm256_loadu_ps(w + i);
        __m256 ge = _mm256_add_ps(_mm256_loadu_ps(g + i), _mm256_mul_ps(l2, wi));
        __m256 k = masked ? _mm256_loadu_ps(mask + i) : _mm256_setzero_ps();
        if (masked) ge = _mm256_mul_ps(ge, k);
        __m256 mi = _mm256_add_ps(_mm256_mul_ps(b1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(c1, ge));
        __m256 vi = _mm256_add_ps(_mm256_mul_ps(b2, _mm256_loadu_ps(v + i)), _mm256_mul_ps(_mm256_mul_ps(c2, ge), ge));
        if (masked) { mi = _mm256_mul_ps(mi, k); vi = _mm256_mul_ps(vi, k); }
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        __m256 denom = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(vi), isb), eps);
        __m256 wn = _mm256_sub_ps(_mm256_mul_ps(wi, dec), _mm256_div_ps(_mm256_mul_ps(ss, mi), denom));
        if (masked) wn = _mm256_mul_ps(wn, k);
        _mm256_storeu_ps(w + i, wn);
    }
    for (; i < n; i++) ck_adam_element(g, w, m, v, mask, i, p, masked);
}

AVX2 void ck_adam_avx2(size_t n, const float *g, float *w, float *m, float *v, const float *mask, const ck_adam_params *p) {
    if (mask) adam_loop(n, g, w, m, v, mask, p, 1);
    else adam_loop(n, g, w, m, v, mask, p, 0);
}

AVX2 void ck_relu_forward_avx2(size_t n, const float *x, float *y) {
    const __m256 zero = _mm256_setzero_ps();
    size_t i = 0;
    /* max_ps returns its second operand when either is NaN or both are zeros: NaN and -0 give +0. */
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_max_ps(_mm256_loadu_ps(x + i), zero));
    for (; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0.0f;
}

AVX2 void ck_relu_backward_avx2(size_t n, const float *g, const float *y, float *out) {
    const __m256 zero = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 pos = _mm256_cmp_ps(_mm256_loadu_ps(y + i), zero, _CMP_GT_OQ);
        _mm256_storeu_ps(out + i, _mm256_and_ps(pos, _mm256_loadu_ps(g + i)));
    }
    for (; i < n; i++) out[i] = y[i] > 0 ? g[i] : 0.0f;
}

AVX2 void ck_column_sums_avx2(size_t rows, size_t cols, const float *m, float *out, float beta) {
    size_t j = 0;
    const __m256 vb = _mm256_set1_ps(beta);
    /* Blocks of 32 columns held in registers across all rows, then 8, then single columns. */
    for (; j + 32 <= cols; j += 32) {
        __m256 a0, a1, a2, a3;
        if (beta == 0) { a0 = a1 = a2 = a3 = _mm256_setzero_ps(); }
        else {
            a0 = _mm256_loadu_ps(out + j); a1 = _mm256_loadu_ps(out + j + 8);
            a2 = _mm256_loadu_ps(out + j + 16); a3 = _mm256_loadu_ps(out + j + 24);
            if (beta != 1) { a0 = _mm256_mul_ps(a0, vb); a1 = _mm256_mul_ps(a1, vb); a2 = _mm256_mul_ps(a2, vb); a3 = _mm256_mul_ps(a3, vb); }
        }
        for (size_t r = 0; r < rows; r++) {
            const float *row = m + r * cols + j;
            a0 = _mm256_add_ps(a0, _mm256_loadu_ps(row));
            a1 = _mm256_add_ps(a1, _mm256_loadu_ps(row + 8));
            a2 = _mm256_add_ps(a2, _mm256_loadu_ps(row + 16));
            a3 = _mm256_add_ps(a3, _mm256_loadu_ps(row + 24));
        }
        _mm256_storeu_ps(out + j, a0); _mm256_storeu_ps(out + j + 8, a1);
        _mm256_storeu_ps(out + j + 16, a2); _mm256_storeu_ps(out + j + 24, a3);
    }
    for (; j + 8 <= cols; j += 8) {
        __m256 a = beta == 0 ? _mm256_setzero_ps() : _mm256_loadu_ps(out + j);
        if (beta != 0 && beta != 1) a = _mm256_mul_ps(a, vb);
        for (size_t r = 0; r < rows; r++) a = _mm256_add_ps(a, _mm256_loadu_ps(m + r * cols + j));
        _mm256_storeu_ps(out + j, a);
    }
    for (; j < cols; j++) {
        float a = beta == 0 ? 0.0f : out[j];
        if (beta != 0 && beta != 1) a *= beta;
        for (size_t r = 0; r < rows; r++) a += m[r * cols + j];
        out[j] = a;
    }
}

AVX2 void ck_multiply_avx2(size_t n, const float *a, const float *b, float *c) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(c + i, _mm256_mul_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
    for (; i < n; i++) c[i] = a[i] * b[i];
}

#else
/* Not x86: the dispatcher never selects these; they exist so the target links everywhere. */
void ck_adam_avx2(size_t n, const float *g, float *w, float *m, float *v, const float *mask, const ck_adam_params *p) { ck_adam_scalar(n, g, w, m, v, mask, p); }
void ck_relu_forward_avx2(size_t n, const float *x, float *y) { ck_relu_forward_scalar(n, x, y); }
void ck_relu_backward_avx2(size_t n, const float *g, const float *y, float *out) { ck_relu_backward_scalar(n, g, y, out); }
void ck_column_sums_avx2(size_t rows, size_t cols, const float *m, float *out, float beta) { ck_column_sums_scalar(rows, cols, m, out, beta); }
void ck_multiply_avx2(size_t n, const float *a, const float *b, float *c) { ck_multiply_scalar(n, a, b, c); }
#endif
