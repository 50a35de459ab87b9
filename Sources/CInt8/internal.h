#ifndef CINT8_INTERNAL_H
#define CINT8_INTERNAL_H
#include "cint8.h"

/* Variant entry points; each has the semantics of the public function of the same shape. */
/* Products over panels [p0, p1) of the packed weights (outputs 8*p0 ... min(8*p1, N) - 1). */
void cint8_gemm_scalar(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc);
void cint8_gemm_avx2(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc);
void cint8_gemm_avxvnni(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc);

/* 4 bytes of A at column 4g of row `a` as one little-endian int32 (bytes past K read as 0). */
static inline int32_t cint8_a_quad(const uint8_t *a, int g, int K) {
    int k = 4 * g;
    if (k + 4 <= K) { int32_t v; __builtin_memcpy(&v, a + k, 4); return v; }
    uint32_t v = 0;
    for (int t = 0; t < 4 && k + t < K; t++) v |= (uint32_t)a[k + t] << (8 * t);
    return (int32_t)v;
}

void cint8_dequantize_scalar(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                             cint8_epilogue e, int relu, float *y, int ldy);
void cint8_dequantize_avx2(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                           cint8_epilogue e, int relu, float *y, int ldy);
/* `pad`: also zero each row's codes N...ldq-1. */
void cint8_requantize_scalar(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum, cint8_epilogue e,
                             int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum, int pad);
void cint8_requantize_avx2(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum, cint8_epilogue e,
                           int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum, int pad);
void cint8_quantize_scalar(int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                           uint8_t *q, int ldq, int32_t *row_sum);
void cint8_quantize_avx2(int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                         uint8_t *q, int ldq, int32_t *row_sum);

/* Shared scalar pieces (identical float operations in every variant: no FMA contraction). */
static inline float cint8_epilogue_value(int32_t c, int n, int32_t rs, cint8_epilogue e, int relu) {
    int32_t acc = c + e.col_offset[n] - (e.weight_zero ? e.weight_zero[n] * rs : 0);
    float y = (float)acc * e.col_scale[n];
    y = y + e.bias[n];
    if (relu) y = y > 0.0f ? y : 0.0f;
    return y;
}

static inline uint8_t cint8_code(float x, float inv_scale, float zero) {
    float t = __builtin_rintf(x * inv_scale);
    t = t + zero;
    t = t < 0.0f ? 0.0f : t;
    t = t > 127.0f ? 127.0f : t;
    return (uint8_t)(int32_t)t;
}
#endif
