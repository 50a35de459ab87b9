/* Portable reference kernels: plain loops, exact int32 accumulation. */
#include "internal.h"

size_t cint8_packed_size(int N, int K) {
    size_t panels = (size_t)((N + 7) / 8), groups = (size_t)((K + 3) / 4);
    return panels * groups * 32;
}

void cint8_pack(int N, int K, const int8_t *B, int ldb, int8_t *packed) {
    int G = (K + 3) / 4, P = (N + 7) / 8;
    for (int p = 0; p < P; p++)
        for (int g = 0; g < G; g++)
            for (int j = 0; j < 8; j++)
                for (int t = 0; t < 4; t++) {
                    int n = 8 * p + j, k = 4 * g + t;
                    packed[(((size_t)p * G + g) * 8 + j) * 4 + t] = (n < N && k < K) ? B[(size_t)n * ldb + k] : 0;
                }
}

void cint8_gemm_scalar(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc) {
    int G = (K + 3) / 4;
    int n1 = 8 * p1 < N ? 8 * p1 : N;
    for (int m = 0; m < M; m++) {
        const uint8_t *a = A + (size_t)m * lda;
        for (int n = 8 * p0; n < n1; n++) {
            const int8_t *panel = P + (size_t)(n / 8) * G * 32 + (n % 8) * 4;
            int32_t s = 0;
            for (int k = 0; k < K; k++) s += (int32_t)a[k] * (int32_t)panel[(size_t)(k / 4) * 32 + (k % 4)];
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
                             int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum, int pad) {
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
        if (pad) for (int n = N; n < ldq; n++) out[n] = 0;
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
