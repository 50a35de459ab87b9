/* AVX2 kernels (compiled per function with target("avx2"); called only after a CPU check).
 * u7 x s8 products use vpmaddubsw (pairs to int16: |2*127*128| < 32767, never saturates) then
 * vpmaddwd with ones (to int32) — exact, so results equal the scalar reference bit for bit.
 * No "fma" target: the epilogue's float operations round exactly as the scalar code's do. */
#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

INLINE AVX2 int32_t hsum_epi32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

/* acc += Σ of 4 u7·s8 products per lane: vpmaddubsw to int16 pairs (|2·127·128| < 32767, exact), then
 * vpmaddwd with ones to int32. */
INLINE AVX2 __m256i avx2_mac(__m256i acc, __m256i a, __m256i b) {
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), _mm256_set1_epi16(1)));
}
#define KTARGET AVX2
#define KNAME(x) avx2_##x
#define KMAC(acc, a, b) avx2_mac(acc, a, b)
#define KNP 2
#include "panel_kernel.inc"
#undef KTARGET
#undef KNAME
#undef KMAC
#undef KNP

void cint8_gemm_avx2(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc) {
    avx2_gemm(M, N, K, A, lda, P, p0, p1, C, ldc);
}

/* Eight epilogue values of row m starting at column n (n + 8 <= N). */
INLINE AVX2 __m256 epilogue8(const int32_t *c, int n, __m256i rs, cint8_epilogue e, int relu) {
    __m256i acc = _mm256_add_epi32(_mm256_loadu_si256((const __m256i *)c), _mm256_loadu_si256((const __m256i *)(e.col_offset + n)));
    if (e.weight_zero)
        acc = _mm256_sub_epi32(acc, _mm256_mullo_epi32(_mm256_loadu_si256((const __m256i *)(e.weight_zero + n)), rs));
    __m256 y = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), _mm256_loadu_ps(e.col_scale + n));
    y = _mm256_add_ps(y, _mm256_loadu_ps(e.bias + n));
    if (relu) y = _mm256_max_ps(y, _mm256_setzero_ps());
    return y;
}

INLINE AVX2 __m256i codes8(__m256 x, __m256 inv, __m256 zero) {
    __m256 t = _mm256_round_ps(_mm256_mul_ps(x, inv), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    t = _mm256_add_ps(t, zero);
    t = _mm256_max_ps(t, _mm256_setzero_ps());
    t = _mm256_min_ps(t, _mm256_set1_ps(127.0f));
    return _mm256_cvtps_epi32(t);
}

/* Packs 8 int32 codes (0...127) to 8 bytes at `out` and returns their sum added to `sum`. */
INLINE AVX2 void store8(__m256i q, uint8_t *out) {
    __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    __m128i w = _mm_packs_epi32(lo, hi);
    __m128i b = _mm_packus_epi16(w, w);
    _mm_storel_epi64((__m128i *)out, b);
}

AVX2 void cint8_dequantize_avx2(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                                cint8_epilogue e, int relu, float *y, int ldy) {
    for (int m = 0; m < M; m++) {
        int32_t rs = row_sum ? row_sum[m] : 0;
        __m256i rsv = _mm256_set1_epi32(rs);
        const int32_t *c = C + (size_t)m * ldc;
        float *out = y + (size_t)m * ldy;
        int n = 0;
        for (; n + 8 <= N; n += 8) _mm256_storeu_ps(out + n, epilogue8(c + n, n, rsv, e, relu));
        for (; n < N; n++) out[n] = cint8_epilogue_value(c[n], n, rs, e, relu);
    }
}

AVX2 void cint8_requantize_avx2(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum, cint8_epilogue e,
                                int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum, int pad) {
    __m256 inv = _mm256_set1_ps(inv_scale), z = _mm256_set1_ps((float)zero);
    for (int m = 0; m < M; m++) {
        int32_t rs = row_sum ? row_sum[m] : 0;
        __m256i rsv = _mm256_set1_epi32(rs);
        const int32_t *c = C + (size_t)m * ldc;
        uint8_t *out = q + (size_t)m * ldq;
        __m256i sumv = _mm256_setzero_si256();
        int32_t sum = 0;
        int n = 0;
        for (; n + 8 <= N; n += 8) {
            __m256i codes = codes8(epilogue8(c + n, n, rsv, e, relu), inv, z);
            sumv = _mm256_add_epi32(sumv, codes);
            store8(codes, out + n);
        }
        for (; n < N; n++) {
            out[n] = cint8_code(cint8_epilogue_value(c[n], n, rs, e, relu), inv_scale, (float)zero);
            sum += out[n];
        }
        if (pad) for (int p = N; p < ldq; p++) out[p] = 0;
        if (q_row_sum) q_row_sum[m] = sum + hsum_epi32(sumv);
    }
}

AVX2 void cint8_quantize_avx2(int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                              uint8_t *q, int ldq, int32_t *row_sum) {
    __m256 inv = _mm256_set1_ps(inv_scale), z = _mm256_set1_ps((float)zero);
    for (int m = 0; m < M; m++) {
        const float *in = x + (size_t)m * ldx;
        uint8_t *out = q + (size_t)m * ldq;
        __m256i sumv = _mm256_setzero_si256();
        int32_t sum = 0;
        int k = 0;
        for (; k + 8 <= K; k += 8) {
            __m256i codes = codes8(_mm256_loadu_ps(in + k), inv, z);
            sumv = _mm256_add_epi32(sumv, codes);
            store8(codes, out + k);
        }
        for (; k < K; k++) { out[k] = cint8_code(in[k], inv_scale, (float)zero); sum += out[k]; }
        for (int p = K; p < ldq; p++) out[p] = 0;
        if (row_sum) row_sum[m] = sum + hsum_epi32(sumv);
    }
}

#else
void cint8_gemm_avx2(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc) {
    cint8_gemm_scalar(M, N, K, A, lda, P, p0, p1, C, ldc);
}
void cint8_dequantize_avx2(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                           cint8_epilogue e, int relu, float *y, int ldy) {
    cint8_dequantize_scalar(M, N, C, ldc, row_sum, e, relu, y, ldy);
}
void cint8_requantize_avx2(int M, int N, const int32_t *C, int ldc, const int32_t *row_sum, cint8_epilogue e,
                           int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum, int pad) {
    cint8_requantize_scalar(M, N, C, ldc, row_sum, e, relu, inv_scale, zero, q, ldq, q_row_sum, pad);
}
void cint8_quantize_avx2(int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                         uint8_t *q, int ldq, int32_t *row_sum) {
    cint8_quantize_scalar(M, K, x, ldx, inv_scale, zero, q, ldq, row_sum);
}
#endif
