/* Bias + exact GELU over rows of a feed-forward product (transformer inference), in place:
 * p[r, j] = g(p[r, j] + bias[j]), g(v) = v/2 (1 + erf(v/sqrt 2)), erf as Eigen's float rational polynomial
 * (absolute error below 4e-7; +-1 beyond |x| = 4), the same as TendTensor's FastMath.erf.
 * The AVX2 variant uses FMA (needs avx2 and fma; else the scalar reference runs): equal to the reference
 * within rounding, not bit for bit. */
#include "internal.h"
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#define ERF_P0 -2.72614225801306e-10f
#define ERF_P1 2.77068142495902e-08f
#define ERF_P2 -2.10102402082508e-06f
#define ERF_P3 -5.69250639462346e-05f
#define ERF_P4 -7.34990630326855e-04f
#define ERF_P5 -2.95459980854025e-03f
#define ERF_P6 -1.60960333262415e-02f
#define ERF_Q0 -1.45660718464996e-05f
#define ERF_Q1 -2.13374055278905e-04f
#define ERF_Q2 -1.68282697438203e-03f
#define ERF_Q3 -7.37332916720468e-03f
#define ERF_Q4 -1.42647390514189e-02f
#define INV_SQRT2 0.7071067811865475f

static inline float gelu_scalar(float v) {
    float x = v * INV_SQRT2;
    x = x > 4.0f ? 4.0f : (x < -4.0f ? -4.0f : x);
    float x2 = x * x;
    float p = ERF_P0;
    p = p * x2 + ERF_P1; p = p * x2 + ERF_P2; p = p * x2 + ERF_P3; p = p * x2 + ERF_P4; p = p * x2 + ERF_P5; p = p * x2 + ERF_P6;
    float q = ERF_Q0;
    q = q * x2 + ERF_Q1; q = q * x2 + ERF_Q2; q = q * x2 + ERF_Q3; q = q * x2 + ERF_Q4;
    return 0.5f * v * (1.0f + x * p / q);
}

static void bias_gelu_scalar(size_t rows, size_t cols, float *p, size_t ldp, const float *bias) {
    for (size_t r = 0; r < rows; r++) {
        float *row = p + r * ldp;
        for (size_t j = 0; j < cols; j++) row[j] = gelu_scalar(row[j] + bias[j]);
    }
}

#if defined(__x86_64__) || defined(__i386__)
#define AVX2FMA __attribute__((target("avx2,fma")))

static inline __attribute__((always_inline)) AVX2FMA __m256 gelu8(__m256 v) {
    __m256 x = _mm256_mul_ps(v, _mm256_set1_ps(INV_SQRT2));
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-4.0f)), _mm256_set1_ps(4.0f));
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_set1_ps(ERF_P0);
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_P1));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_P2));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_P3));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_P4));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_P5));
    p = _mm256_fmadd_ps(p, x2, _mm256_set1_ps(ERF_P6));
    __m256 q = _mm256_set1_ps(ERF_Q0);
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_Q1));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_Q2));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_Q3));
    q = _mm256_fmadd_ps(q, x2, _mm256_set1_ps(ERF_Q4));
    __m256 erf = _mm256_div_ps(_mm256_mul_ps(x, p), q);
    __m256 half = _mm256_mul_ps(_mm256_set1_ps(0.5f), v);
    return _mm256_fmadd_ps(half, erf, half);
}

static AVX2FMA void bias_gelu_avx2(size_t rows, size_t cols, float *p, size_t ldp, const float *bias) {
    for (size_t r = 0; r < rows; r++) {
        float *row = p + r * ldp;
        size_t j = 0;
        for (; j + 16 <= cols; j += 16) {
            __m256 a = _mm256_add_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(bias + j));
            __m256 b = _mm256_add_ps(_mm256_loadu_ps(row + j + 8), _mm256_loadu_ps(bias + j + 8));
            _mm256_storeu_ps(row + j, gelu8(a));
            _mm256_storeu_ps(row + j + 8, gelu8(b));
        }
        for (; j + 8 <= cols; j += 8) _mm256_storeu_ps(row + j, gelu8(_mm256_add_ps(_mm256_loadu_ps(row + j), _mm256_loadu_ps(bias + j))));
        for (; j < cols; j++) row[j] = gelu_scalar(row[j] + bias[j]);
    }
}

#endif

void ck_bias_gelu_rows(ck_variant v, size_t rows, size_t cols, float *p, size_t ldp, const float *bias) {
#if defined(__x86_64__) || defined(__i386__)
    if (v == CK_AVX2 && ck_cpu_has_avx2_fma()) { bias_gelu_avx2(rows, cols, p, ldp, bias); return; }
#endif
    (void)v;
    bias_gelu_scalar(rows, cols, p, ldp, bias);
}
