#ifndef CINT8_H
#define CINT8_H
/*
 * CInt8: int8 matrix kernels for Tend's quantized inference.
 *
 * Products are  C[m][n] = sum_k A[m][k] * B[n][k]  (both operands row-major along k, i.e. B is the
 * weight matrix [out, in]) with exact int32 accumulation.
 *   A: activation codes, uint8 in 0...127 (7-bit; this keeps AVX2 vpmaddubsw free of int16
 *      saturation: 2 * 127 * 128 < 32767, so every variant is exact and bit-identical);
 *   B: weight codes, int8 in -128...127.
 * K and N may be any length. |C| must stay below 2^31 (K < 130000).
 *
 * Variants are selected at run time by CPU feature (`__builtin_cpu_supports`), never by global
 * compiler flags: scalar (portable reference), AVX2, AVX-VNNI (vpdpbusd on 256-bit vectors).
 */
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel variants. */
typedef enum {
    CINT8_SCALAR = 0,
    CINT8_AVX2 = 1,
    CINT8_AVXVNNI = 2,
} cint8_variant;

/* Whether `v` can run on this CPU (and was compiled into this build). */
int cint8_variant_available(cint8_variant v);
/* The fastest available variant. */
cint8_variant cint8_best_variant(void);
/* Human name: "scalar", "avx2", "avx-vnni". */
const char *cint8_variant_name(cint8_variant v);

/* Weight packing. The kernels read B [N, K] (row n = output n) packed in panels of 8 outputs and
 * groups of 4 inputs: packed[((p * G + g) * 8 + j) * 4 + t] = B[8p + j][4g + t] (zero beyond N, K),
 * with G = ceil(K / 4). One 32-byte load then feeds vpmaddubsw/vpdpbusd against a 4-byte broadcast
 * of A, and each accumulator holds 8 finished outputs (no horizontal sums). */
size_t cint8_packed_size(int N, int K);
void cint8_pack(int N, int K, const int8_t *B, int ldb, int8_t *packed);

/* C[m*ldc + n] = sum_{k<K} A[m*lda + k] * B[n][k] for m < M, n < N, with variant `v` (falls back to
 * scalar when unavailable); `packed` from cint8_pack(N, K, ...). A values must lie in 0...127. */
void cint8_gemm_u7s8(cint8_variant v, int M, int N, int K,
                     const uint8_t *A, int lda, const int8_t *packed, int32_t *C, int ldc);

/* The same product with the best variant, split over up to `threads` threads by panels of outputs
 * when the product is large enough to repay thread start-up. */
void cint8_gemm_u7s8_parallel(int M, int N, int K, const uint8_t *A, int lda, const int8_t *packed,
                              int32_t *C, int ldc, int threads);

/* Per-layer epilogue parameters: real y[m][n] = (C[m][n] + col_offset[n] - weight_zero[n] * row_sum[m])
 * * col_scale[n] + bias[n]; weight_zero and row_sum may be NULL (symmetric weights). */
typedef struct {
    const int32_t *col_offset;   /* [N]: -za * sum_k qw[n][k] + K * za * zw[n] */
    const int32_t *weight_zero;  /* [N] or NULL */
    const float *col_scale;      /* [N]: sa * sw[n] */
    const float *bias;           /* [N] */
} cint8_epilogue;

/* y (fp32, [M, ldy]) from the int32 product; `relu` clamps at 0. */
void cint8_dequantize(cint8_variant v, int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                      cint8_epilogue e, int relu, float *y, int ldy);

/* Requantizes straight to the next layer's 7-bit codes:
 * q = clamp(rint(max?(y, 0) * inv_scale) + zero, 0, 127), rint rounding half to even; the N..ldq
 * padding of each row is set to 0. `q_row_sum` (may be NULL) receives sum_n q[m][n]. */
void cint8_requantize_u7(cint8_variant v, int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                         cint8_epilogue e, int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq,
                         int32_t *q_row_sum);

/* cint8_gemm_u7s8 followed by cint8_requantize_u7 with the same arguments, giving the same bits (C, q,
 * q_row_sum), split over up to `threads` threads by panels of outputs; each thread requantizes its
 * outputs block by block right after computing them (the epilogue runs in parallel, on data still in
 * cache). `C` is scratch of [M, ldc] int32. */
void cint8_gemm_requantize_u7(cint8_variant v, int M, int N, int K, const uint8_t *A, int lda, const int8_t *packed,
                              int32_t *C, int ldc, const int32_t *row_sum, cint8_epilogue e, int relu,
                              float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum, int threads);

/* 7-bit activation codes of fp32 x: q = clamp(rint(x * inv_scale) + zero, 0, 127); the K..ldq
 * padding of each row is set to 0. `row_sum` (may be NULL) receives sum_k q[m][k]. */
void cint8_quantize_u7(cint8_variant v, int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                       uint8_t *q, int ldq, int32_t *row_sum);

/* Dynamic (per-row) quantization, as PyTorch's and ONNX Runtime's dynamic int8 linear layers: each row m of
 * fp32 x [M, K] gets its own 7-bit codes q = clamp(rint(x / s_m) + z_m, 0, 127) with s_m = (hi - lo) / 127
 * and z_m = clamp(rint(-lo / s_m), 0, 127) over the row's range [lo, hi] widened to contain 0 (s_m = 1,
 * z_m = 0 for an all-zero row); the K..ldq padding of each row is set to 0. */
void cint8_quantize_rows_u7(cint8_variant v, int M, int K, const float *x, int ldx, uint8_t *q, int ldq,
                            float *row_scale, int32_t *row_zero);

/* The epilogue of a product of per-row codes and symmetric per-column weights:
 * y[m][n] = (float)(C[m][n] - row_zero[m] * col_sum[n]) * (row_scale[m] * col_scale[n]) (+ bias[n] when
 * bias is not NULL), with col_sum[n] = sum_k qw[n][k]. */
void cint8_dequantize_rows(cint8_variant v, int M, int N, const int32_t *C, int ldc, const float *row_scale,
                           const int32_t *row_zero, const int32_t *col_sum, const float *col_scale, const float *bias,
                           float *y, int ldy);

/* Peak-rate probes (multiply-accumulates per second of this thread's CPU time, best over about
 * `seconds`), register-only loops without memory traffic:
 *   int8: the product instructions of variant `v` (AVX2: vpmaddubsw + vpmaddwd(ones) + vpaddd, 32 u8*s8
 *         MACs per chain step; AVX-VNNI: vpdpbusd, 32 MACs; scalar: int32 multiply-adds);
 *   fp32: 256-bit vfmadd231ps (8 MACs) when `v` is a SIMD variant and the CPU has FMA, scalar otherwise.
 * Their ratio is the best int8/fp32 product speed-up this CPU's instructions allow. */
double cint8_peak_int8_macs(cint8_variant v, double seconds);
double cint8_peak_fp32_macs(cint8_variant v, double seconds);

#ifdef __cplusplus
}
#endif
#endif
