/* Small-row fp32 products against weights packed once (transformer inference, batch 1..64 tokens).
 *
 * sgemm packs its B operand on every call; with a few rows that copy costs as much as the product.
 * Here the weight [n, k] (rows = outputs) is packed once into panels of 16 outputs, k groups of 16
 * floats each, and the kernel computes 6 rows x 16 outputs per step in 12 accumulators (AVX2 + FMA;
 * the only CKernels code that contracts to FMA: it is compared with the reference within a tolerance,
 * not bit for bit). The scalar variant is the portable reference. */
#include "internal.h"
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#define PANEL 16

size_t ck_packed_weight_count(size_t n, size_t k) { return ((n + PANEL - 1) / PANEL) * PANEL * k; }

void ck_pack_weight(size_t n, size_t k, const float *w, size_t ldw, float *packed) {
    size_t panels = (n + PANEL - 1) / PANEL;
    for (size_t p = 0; p < panels; p++) {
        float *dst = packed + p * PANEL * k;
        for (size_t kk = 0; kk < k; kk++) {
            for (size_t j = 0; j < PANEL; j++) {
                size_t o = p * PANEL + j;
                dst[kk * PANEL + j] = o < n ? w[o * ldw + kk] : 0.0f;
            }
        }
    }
}

static void packed_gemm_scalar(size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *packed,
                               size_t p0, size_t p1, float *c, size_t ldc) {
    float acc[PANEL];
    for (size_t p = p0; p < p1; p++) {
        const float *w = packed + p * PANEL * k;
        size_t cols = n - p * PANEL < PANEL ? n - p * PANEL : PANEL;
        for (size_t r = 0; r < m; r++) {
            for (size_t j = 0; j < PANEL; j++) acc[j] = 0.0f;
            const float *xr = x + r * ldx;
            for (size_t kk = 0; kk < k; kk++) {
                float xv = xr[kk];
                for (size_t j = 0; j < PANEL; j++) acc[j] += xv * w[kk * PANEL + j];
            }
            memcpy(c + r * ldc + p * PANEL, acc, cols * sizeof(float));
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#define AVX2FMA __attribute__((target("avx2,fma")))

/* R rows (1..6) of x times one panel; R is a compile-time constant in each instantiation. */
#define PANEL_ROWS(R) \
static AVX2FMA __attribute__((always_inline)) inline void panel_rows_##R(size_t k, const float *x, size_t ldx, \
        const float *w, float *c, size_t ldc, size_t cols, const char *pf, unsigned shift) { \
    __m256 a0[6], a1[6]; \
    for (int r = 0; r < R; r++) { a0[r] = _mm256_setzero_ps(); a1[r] = _mm256_setzero_ps(); } \
    for (size_t kk = 0; kk < k; kk++) { \
        if (pf && (kk & ((1u << shift) - 1)) == 0) _mm_prefetch(pf + (kk >> shift) * 64, _MM_HINT_T0); \
        __m256 w0 = _mm256_loadu_ps(w + kk * PANEL), w1 = _mm256_loadu_ps(w + kk * PANEL + 8); \
        for (int r = 0; r < R; r++) { \
            __m256 xv = _mm256_broadcast_ss(x + r * ldx + kk); \
            a0[r] = _mm256_fmadd_ps(xv, w0, a0[r]); a1[r] = _mm256_fmadd_ps(xv, w1, a1[r]); \
        } \
    } \
    if (cols == PANEL) { \
        for (int r = 0; r < R; r++) { _mm256_storeu_ps(c + r * ldc, a0[r]); _mm256_storeu_ps(c + r * ldc + 8, a1[r]); } \
    } else { \
        float tmp[PANEL]; \
        for (int r = 0; r < R; r++) { _mm256_storeu_ps(tmp, a0[r]); _mm256_storeu_ps(tmp + 8, a1[r]); memcpy(c + r * ldc, tmp, cols * sizeof(float)); } \
    } \
}
PANEL_ROWS(1) PANEL_ROWS(2) PANEL_ROWS(3) PANEL_ROWS(4) PANEL_ROWS(5) PANEL_ROWS(6)

static AVX2FMA void packed_gemm_avx2(size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *packed,
                                     size_t p0, size_t p1, float *c, size_t ldc) {
    /* The weights stream from memory once per product: each row block prefetches its share of the next
     * panel's cache lines (a panel holds k lines of 64 bytes), one every 2^shift k steps, so the fetch
     * overlaps the multiply-adds instead of stalling the next panel's first block. */
    size_t blocks = (m + 5) / 6;
    unsigned shift = 0;
    while ((size_t)2 << shift <= blocks) shift++;   /* 2^shift <= blocks: every block covers >= k/blocks lines */
    size_t per = k >> shift;
    for (size_t p = p0; p < p1; p++) {
        const float *w = packed + p * PANEL * k;
        /* One row block (m <= 6) is bound by the weights' stream: the hardware prefetcher does better alone. */
        const char *next = blocks > 1 && p + 1 < p1 ? (const char *)(w + PANEL * k) : 0;
        size_t cols = n - p * PANEL < PANEL ? n - p * PANEL : PANEL;
        size_t r = 0, b = 0;
        for (; r + 6 <= m; r += 6, b++)
            panel_rows_6(k, x + r * ldx, ldx, w, c + r * ldc + p * PANEL, ldc, cols, next && b < ((size_t)1 << shift) ? next + b * per * 64 : 0, shift);
        const float *xr = x + r * ldx; float *cr = c + r * ldc + p * PANEL;
        const char *pf = next && b < ((size_t)1 << shift) ? next + b * per * 64 : 0;
        switch (m - r) {
        case 5: panel_rows_5(k, xr, ldx, w, cr, ldc, cols, pf, shift); break;
        case 4: panel_rows_4(k, xr, ldx, w, cr, ldc, cols, pf, shift); break;
        case 3: panel_rows_3(k, xr, ldx, w, cr, ldc, cols, pf, shift); break;
        case 2: panel_rows_2(k, xr, ldx, w, cr, ldc, cols, pf, shift); break;
        case 1: panel_rows_1(k, xr, ldx, w, cr, ldc, cols, pf, shift); break;
        default: break;
        }
    }
}

#endif

void ck_packed_gemm(ck_variant v, size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *packed,
                    size_t panel_begin, size_t panel_end, float *c, size_t ldc) {
#if defined(__x86_64__) || defined(__i386__)
    if (v == CK_AVX2 && ck_cpu_has_avx2_fma()) { packed_gemm_avx2(m, n, k, x, ldx, packed, panel_begin, panel_end, c, ldc); return; }
#endif
    packed_gemm_scalar(m, n, k, x, ldx, packed, panel_begin, panel_end, c, ldc);
}
