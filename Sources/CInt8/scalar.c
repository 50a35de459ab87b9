/* Portable reference kernels: plain loops, exact int32 accumulation. */
#include "internal.h"

void cint8_gemm_scalar(int M, int N, int K, const uint8_t *A, int lda, const int8_t *B, int ldb, int32_t *C, int ldc) {
    for (int m = 0; m < M; m++) {
        const uint8_t *a = A + (size_t)m * lda;
        for (int n = 0; n < N; n++) {
            const int8_t *b = B + (size_t)n * ldb;
            int32_t s = 0;
            for (int k = 0; k < K; k++) s += (int32_t)a[k] * (int32_t)b[k];
            C[(size_t)m * ldc + n] = s;
        }
    }
}

void cint8_dequantize_scalar(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                             cint8_epilogue e, int relu, float *y, int ldy) {
    for (int m = 0; m < M; m++) {
        int32_t rs = row_sum ? row_sum[m] : 0;
        for (int n = 0; n < N; n++)
            y[(size_t)m * ldy + n] = cint8_epilogue_value(C[(size_t)m * ldc + n], n, rs, e, relu);
    }
}

void cint8_requantize_scalar(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum, cint8_epilogue e,
                             int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum) {
    float z = (float)zero;
    for (int m = 0; m < M; m++) {
        int32_t rs = row_sum ? row_sum[m] : 0;
        int32_t sum = 0;
        uint8_t *out = q + (size_t)m * ldq;
        for (int n = 0; n < N; n++) {
            uint8_t c = cint8_code(cint8_epilogue_value(C[(size_t)m * ldc + n], n, rs, e, relu), inv_scale, z);
            out[n] = c;
            sum += c;
        }
        for (int n = N; n < ldq; n++) out[n] = 0;
        if (q_row_sum) q_row_sum[m] = sum;
    }
}

void cint8_quantize_scalar(int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                           uint8_t *q, int ldq, int32_t *row_sum) {
    float z = (float)zero;
    for (int m = 0; m < M; m++) {
        const float *in = x + (size_t)m * ldx;
        uint8_t *out = q + (size_t)m * ldq;
        int32_t sum = 0;
        for (int k = 0; k < K; k++) { out[k] = cint8_code(in[k], inv_scale, z); sum += out[k]; }
        for (int k = K; k < ldq; k++) out[k] = 0;
        if (row_sum) row_sum[m] = sum;
    }
}
