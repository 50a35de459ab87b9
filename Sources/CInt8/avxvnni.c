/* AVX-VNNI kernel: vpdpbusd (u8 x s8, four products summed straight into int32, no intermediate
 * saturation) on 256-bit vectors. Same blocking as the AVX2 kernel; exact, so it equals the scalar
 * reference bit for bit. Compiled per function with target("avx2,avxvnni"); selected only when the
 * CPU reports AVX-VNNI (this build machine does not, so it is exercised only where available). */
#include "internal.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__clang__) && __clang_major__ >= 12
#include <immintrin.h>

#define VNNI __attribute__((target("avx2,avxvnni")))
#define INLINE static inline __attribute__((always_inline))

INLINE VNNI int32_t vnni_hsum(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return _mm_cvtsi128_si32(s);
}

INLINE VNNI void vnni_block(int mr, int nr, int K, const uint8_t *A, int lda, const int8_t *B, int ldb,
                            int32_t *C, int ldc) {
    __m256i acc[4][8];
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < nr; j++) acc[i][j] = _mm256_setzero_si256();
    int k = 0;
    for (; k + 32 <= K; k += 32) {
        __m256i b[8];
        for (int j = 0; j < nr; j++) b[j] = _mm256_loadu_si256((const __m256i *)(B + (size_t)j * ldb + k));
        for (int i = 0; i < mr; i++) {
            __m256i a = _mm256_loadu_si256((const __m256i *)(A + (size_t)i * lda + k));
            for (int j = 0; j < nr; j++) acc[i][j] = _mm256_dpbusd_avx_epi32(acc[i][j], a, b[j]);
        }
    }
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < nr; j++) {
            int32_t s = vnni_hsum(acc[i][j]);
            for (int kk = k; kk < K; kk++) s += (int32_t)A[(size_t)i * lda + kk] * (int32_t)B[(size_t)j * ldb + kk];
            C[(size_t)i * ldc + j] = s;
        }
}

static VNNI void vnni_4x3(int K, const uint8_t *A, int lda, const int8_t *B, int ldb, int32_t *C, int ldc) {
    vnni_block(4, 3, K, A, lda, B, ldb, C, ldc);
}
static VNNI void vnni_1x8(int K, const uint8_t *A, int lda, const int8_t *B, int ldb, int32_t *C, int ldc) {
    vnni_block(1, 8, K, A, lda, B, ldb, C, ldc);
}
static VNNI void vnni_1x1(int K, const uint8_t *A, int lda, const int8_t *B, int ldb, int32_t *C, int ldc) {
    vnni_block(1, 1, K, A, lda, B, ldb, C, ldc);
}

VNNI void cint8_gemm_avxvnni(int M, int N, int K, const uint8_t *A, int lda, const int8_t *B, int ldb, int32_t *C, int ldc) {
    int m4 = M - M % 4;
    if (m4 > 0) {
        int n = 0;
        for (; n + 3 <= N; n += 3)
            for (int m = 0; m < m4; m += 4)
                vnni_4x3(K, A + (size_t)m * lda, lda, B + (size_t)n * ldb, ldb, C + (size_t)m * ldc + n, ldc);
        for (; n < N; n++)
            for (int m = 0; m < m4; m++)
                vnni_1x1(K, A + (size_t)m * lda, lda, B + (size_t)n * ldb, ldb, C + (size_t)m * ldc + n, ldc);
    }
    for (int m = m4; m < M; m++) {
        int n = 0;
        for (; n + 8 <= N; n += 8)
            vnni_1x8(K, A + (size_t)m * lda, lda, B + (size_t)n * ldb, ldb, C + (size_t)m * ldc + n, ldc);
        for (; n < N; n++)
            vnni_1x1(K, A + (size_t)m * lda, lda, B + (size_t)n * ldb, ldb, C + (size_t)m * ldc + n, ldc);
    }
}
int cint8_avxvnni_compiled(void) { return 1; }
#else
void cint8_gemm_avxvnni(int M, int N, int K, const uint8_t *A, int lda, const int8_t *B, int ldb, int32_t *C, int ldc) {
    cint8_gemm_scalar(M, N, K, A, lda, B, ldb, C, ldc);
}
int cint8_avxvnni_compiled(void) { return 0; }
#endif
