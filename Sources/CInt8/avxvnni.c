/* AVX-VNNI kernel: vpdpbusd (u8 x s8, four products summed straight into int32, no intermediate
 * saturation) on 256-bit vectors, same panel blocking as the AVX2 kernel; exact, so it equals the
 * scalar reference bit for bit. Compiled per function with target("avx2,avxvnni"); selected only
 * when the CPU reports AVX-VNNI (the build machine does not, so it is exercised only where available). */
#include "internal.h"

#if (defined(__x86_64__) || defined(__i386__)) && defined(__clang__) && __clang_major__ >= 12
#include <immintrin.h>

#define KTARGET __attribute__((target("avx2,avxvnni")))
#define KNAME(x) vnni_##x
#define KMAC(acc, a, b) _mm256_dpbusd_avx_epi32(acc, a, b)
#define KNP 3
#include "panel_kernel.inc"

void cint8_gemm_avxvnni(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc) {
    vnni_gemm(M, N, K, A, lda, P, p0, p1, C, ldc);
}
int cint8_avxvnni_compiled(void) { return 1; }
#else
void cint8_gemm_avxvnni(int M, int N, int K, const uint8_t *A, int lda, const int8_t *P, int p0, int p1, int32_t *C, int ldc) {
    cint8_gemm_scalar(M, N, K, A, lda, P, p0, p1, C, ldc);
}
int cint8_avxvnni_compiled(void) { return 0; }
#endif
