/* Dynamic (per-row) activation quantization and its epilogue, for products whose activation scale is
 * chosen at run time per token (the transformer encoder's linear layers; PyTorch/ONNX Runtime
 * "dynamic quantization"). Scalar reference + AVX2, bit-identical (no FMA contraction: the AVX2 code
 * does the same float operations in the same order). */
#include "internal.h"

/* Scale and zero-point of one row from its min and max (range widened to contain 0). */
static void row_parameters(float lo, float hi, float *scale, int32_t *zero) {
    lo = lo < 0.0f ? lo : 0.0f;
    hi = hi > 0.0f ? hi : 0.0f;
    if (!(hi > lo)) { *scale = 1.0f; *zero = 0; return; }
    float s = (hi - lo) / 127.0f;
    float z = __builtin_rintf(-lo / s);
    z = z < 0.0f ? 0.0f : (z > 127.0f ? 127.0f : z);
    *scale = s; *zero = (int32_t)z;
}

static void minmax_scalar(const float *x, int K, float *lo, float *hi) {
    float l = 0.0f, h = 0.0f;
    for (int k = 0; k < K; k++) { l = x[k] < l ? x[k] : l; h = x[k] > h ? x[k] : h; }
    *lo = l; *hi = h;
}

static void dequantize_rows_scalar(int M, int N, const int32_t *C, int ldc, const float *row_scale, const int32_t *row_zero,
                                   const int32_t *col_sum, const float *col_scale, const float *bias, float *y, int ldy) {
    for (int m = 0; m < M; m++) {
        const int32_t *c = C + (size_t)m * ldc;
        float *out = y + (size_t)m * ldy;
        float sa = row_scale[m];
        int32_t za = row_zero[m];
        for (int n = 0; n < N; n++) {
            int32_t acc = c[n] - za * col_sum[n];
            float s = sa * col_scale[n];
            float v = (float)acc * s;
            if (bias) v = v + bias[n];
            out[n] = v;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2")))

static AVX2 void minmax_avx2(const float *x, int K, float *lo, float *hi) {
    __m256 l = _mm256_setzero_ps(), h = _mm256_setzero_ps();
    int k = 0;
    for (; k + 8 <= K; k += 8) {
        __m256 v = _mm256_loadu_ps(x + k);
        l = _mm256_min_ps(l, v); h = _mm256_max_ps(h, v);
    }
    float lv[8], hv[8];
    _mm256_storeu_ps(lv, l); _mm256_storeu_ps(hv, h);
    float a = 0.0f, b = 0.0f;
    for (int t = 0; t < 8; t++) { a = lv[t] < a ? lv[t] : a; b = hv[t] > b ? hv[t] : b; }
    for (; k < K; k++) { a = x[k] < a ? x[k] : a; b = x[k] > b ? x[k] : b; }
    *lo = a; *hi = b;
}

static AVX2 void dequantize_rows_avx2(int M, int N, const int32_t *C, int ldc, const float *row_scale, const int32_t *row_zero,
                                      const int32_t *col_sum, const float *col_scale, const float *bias, float *y, int ldy) {
    for (int m = 0; m < M; m++) {
        const int32_t *c = C + (size_t)m * ldc;
        float *out = y + (size_t)m * ldy;
        __m256 sa = _mm256_set1_ps(row_scale[m]);
        __m256i za = _mm256_set1_epi32(row_zero[m]);
        int n = 0;
        for (; n + 8 <= N; n += 8) {
            __m256i acc = _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(c + n)),
                                           _mm256_mullo_epi32(za, _mm256_loadu_si256((const __m256i *)(col_sum + n))));
            __m256 s = _mm256_mul_ps(sa, _mm256_loadu_ps(col_scale + n));
            __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), s);
            if (bias) v = _mm256_add_ps(v, _mm256_loadu_ps(bias + n));
            _mm256_storeu_ps(out + n, v);
        }
        for (; n < N; n++) {
            int32_t acc = c[n] - row_zero[m] * col_sum[n];
            float s = row_scale[m] * col_scale[n];
            float v = (float)acc * s;
            if (bias) v = v + bias[n];
            out[n] = v;
        }
    }
}
#endif

static int simd(cint8_variant v) { return v != CINT8_SCALAR && cint8_variant_available(CINT8_AVX2); }

void cint8_quantize_rows_u7(cint8_variant v, int M, int K, const float *x, int ldx, uint8_t *q, int ldq,
                            float *row_scale, int32_t *row_zero) {
    int vec = simd(v);
    for (int m = 0; m < M; m++) {
        const float *row = x + (size_t)m * ldx;
        float lo, hi;
#if defined(__x86_64__) || defined(__i386__)
        if (vec) minmax_avx2(row, K, &lo, &hi); else
#endif
        minmax_scalar(row, K, &lo, &hi);
        float s; int32_t z;
        row_parameters(lo, hi, &s, &z);
        row_scale[m] = s; row_zero[m] = z;
        cint8_quantize_u7(v, 1, K, row, ldx, 1.0f / s, z, q + (size_t)m * ldq, ldq, 0);
    }
}

void cint8_dequantize_rows(cint8_variant v, int M, int N, const int32_t *C, int ldc, const float *row_scale,
                           const int32_t *row_zero, const int32_t *col_sum, const float *col_scale, const float *bias,
                           float *y, int ldy) {
#if defined(__x86_64__) || defined(__i386__)
    if (simd(v)) { dequantize_rows_avx2(M, N, C, ldc, row_scale, row_zero, col_sum, col_scale, bias, y, ldy); return; }
#endif
    dequantize_rows_scalar(M, N, C, ldc, row_scale, row_zero, col_sum, col_scale, bias, y, ldy);
}
