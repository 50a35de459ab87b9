/* AVX2 variant (compiled per function with target("avx2,fma,f16c"); called only after a CPU check).
 * One pass per row over groups of 32 elements (4 vectors): counts, sums and squares in double, min/max, the fine |x| histogram (scalar increments into 4 uint32 tables, so neighbouring
 * lanes do not wait on each other's stores), the group's int4 error; then a second pass over the row
 * (cache-resident) for the int8 error with the row's scale. Row tails shorter than a group go through the
 * scalar helpers, which round exactly the same way. */
#include "internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define T __attribute__((target("avx2,fma,f16c")))
#define INLINE static inline __attribute__((always_inline))

/* Tables flushed into the int64 histogram before any uint32 counter could overflow. */
#define FLUSH_GROUPS (1 << 24)

INLINE T __m256 load8(cscan_dtype t, const uint8_t *p) {
    if (t == CSCAN_F32) return _mm256_loadu_ps((const float *)p);
    __m128i h = _mm_loadu_si128((const __m128i *)p);
    if (t == CSCAN_F16) return _mm256_cvtph_ps(h);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

INLINE T float hmax8(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}
INLINE T float hmin8(__m256 v) {
    __m128 m = _mm_min_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_min_ps(m, _mm_movehl_ps(m, m));
    m = _mm_min_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}
/* Max of all lanes, in every lane. */
INLINE T __m256 allmax8(__m256 v) {
    __m256 m = _mm256_max_ps(v, _mm256_permute2f128_ps(v, v, 1));
    m = _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0x4E));
    return _mm256_max_ps(m, _mm256_shuffle_ps(m, m, 0xB1));
}
INLINE T double hsum4d(__m256d v) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}
INLINE T double hsum8(__m256 v) {
    __m256d d = _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(v)), _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
    return hsum4d(d);
}
INLINE T int64_t hsum8i(__m256i v) {
    __m256i w = _mm256_add_epi64(_mm256_cvtepu32_epi64(_mm256_castsi256_si128(v)), _mm256_cvtepu32_epi64(_mm256_extracti128_si256(v, 1)));
    __m128i s = _mm_add_epi64(_mm256_castsi256_si128(w), _mm256_extracti128_si256(w, 1));
    return _mm_cvtsi128_si64(s) + _mm_extract_epi64(s, 1);
}

/* Σ (x - q(x))² over 8 finite-masked values with reciprocal scale `inv` = levels/absmax (0 for an all-zero
 * scale). No clamp: |x| <= absmax, so |x * inv| <= levels * (1 + 2^-23), which rounds to at most `levels`. */
INLINE T __m256 qerr8(__m256 xf, __m256 inv, __m256 scale, __m256 acc) {
    __m256 v = _mm256_mul_ps(xf, inv);
    __m256 d = _mm256_sub_ps(xf, _mm256_mul_ps(_mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC), scale));
    return _mm256_fmadd_ps(d, d, acc);
}

typedef struct {
    __m256d sum0, sum1, sq0, sq1;
    __m256 vmin, vmax;
    __m256i below, zeros, nonfinite;
} lanes;

INLINE T void rows_kernel(cscan_dtype t, const uint8_t *src, int64_t rows, int64_t rl, float tau, cscan_acc *acc,
                          uint32_t (*tab)[CSCAN_FINE_BINS]) {
    const int64_t es = cscan_element_size(t);
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    const __m256i infbits = _mm256_set1_epi32(0x7F800000);
    const __m256 vtau = _mm256_set1_ps(tau), zero = _mm256_setzero_ps();
    const __m256 pinf = _mm256_set1_ps(INFINITY), ninf = _mm256_set1_ps(-INFINITY);
    const __m256 seven = _mm256_set1_ps(7.0f), l127 = _mm256_set1_ps(127.0f);
    lanes L = { _mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(), _mm256_setzero_pd(), pinf, ninf,
                _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256() };
    int64_t vectors = 0, groups_since_flush = 0;

    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *row = src + r * rl * es;
        __m256 vrowmax = zero, ve4 = zero;
        int64_t g = 0;
        for (; g + CSCAN_INT4_GROUP <= rl; g += CSCAN_INT4_GROUP) {
            __m256 x[4], xf[4];
            __m256i ab[4];
            for (int k = 0; k < 4; k++) {
                x[k] = load8(t, row + (g + 8 * k) * es);
                ab[k] = _mm256_and_si256(_mm256_castps_si256(x[k]), _mm256_castps_si256(absmask));
            }
            __m256i top = _mm256_max_epi32(_mm256_max_epi32(ab[0], ab[1]), _mm256_max_epi32(ab[2], ab[3]));
            /* Groups without NaN/Inf (nearly all) skip the finite masking. */
            int all_finite = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(infbits, top))) == 0xFF;
            __m256 gmax = zero;
            for (int k = 0; k < 4; k++) {
                /* Bin indices leave the vector as four 64-bit pairs (a wide store reloaded as 32-bit words
                 * stalls on store forwarding; eight vpextrd cost more µops). */
                __m256i bins = _mm256_srli_epi32(ab[k], 20);
                __m128i b01 = _mm256_castsi256_si128(bins), b23 = _mm256_extracti128_si256(bins, 1);
                uint64_t p0 = (uint64_t)_mm_cvtsi128_si64(b01), p1 = (uint64_t)_mm_extract_epi64(b01, 1);
                uint64_t p2 = (uint64_t)_mm_cvtsi128_si64(b23), p3 = (uint64_t)_mm_extract_epi64(b23, 1);
                tab[0][(uint32_t)p0]++; tab[1][p0 >> 32]++; tab[2][(uint32_t)p1]++; tab[3][p1 >> 32]++;
                tab[0][(uint32_t)p2]++; tab[1][p2 >> 32]++; tab[2][(uint32_t)p3]++; tab[3][p3 >> 32]++;
                L.below = _mm256_sub_epi32(L.below, _mm256_castps_si256(_mm256_cmp_ps(_mm256_castsi256_ps(ab[k]), vtau, _CMP_LT_OQ)));
                L.zeros = _mm256_sub_epi32(L.zeros, _mm256_castps_si256(_mm256_cmp_ps(x[k], zero, _CMP_EQ_OQ)));
                if (all_finite) {
                    xf[k] = x[k];
                    L.vmin = _mm256_min_ps(L.vmin, x[k]);
                    L.vmax = _mm256_max_ps(L.vmax, x[k]);
                } else {
                    __m256i fin = _mm256_cmpgt_epi32(infbits, ab[k]);
                    __m256 finmask = _mm256_castsi256_ps(fin);
                    xf[k] = _mm256_and_ps(x[k], finmask);
                    L.nonfinite = _mm256_add_epi32(L.nonfinite, _mm256_add_epi32(fin, _mm256_set1_epi32(1)));
                    L.vmin = _mm256_min_ps(L.vmin, _mm256_blendv_ps(pinf, x[k], finmask));
                    L.vmax = _mm256_max_ps(L.vmax, _mm256_blendv_ps(ninf, x[k], finmask));
                }
                /* Moments in double: squares of |x| > 1.8e19 overflow float. */
                __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(xf[k])), hi = _mm256_cvtps_pd(_mm256_extractf128_ps(xf[k], 1));
                L.sum0 = _mm256_add_pd(L.sum0, lo); L.sum1 = _mm256_add_pd(L.sum1, hi);
                L.sq0 = _mm256_fmadd_pd(lo, lo, L.sq0); L.sq1 = _mm256_fmadd_pd(hi, hi, L.sq1);
                gmax = _mm256_max_ps(gmax, _mm256_and_ps(xf[k], absmask));
            }
            vrowmax = _mm256_max_ps(vrowmax, gmax);
            __m256 m = allmax8(gmax);
            __m256 nonzero = _mm256_cmp_ps(m, zero, _CMP_GT_OQ);
            __m256 inv = _mm256_and_ps(_mm256_div_ps(seven, m), nonzero);
            __m256 scale = _mm256_div_ps(m, seven);
            for (int k = 0; k < 4; k++) ve4 = qerr8(xf[k], inv, scale, ve4);
            vectors += 4;
            if (++groups_since_flush == FLUSH_GROUPS) {
                for (int k = 1; k < 4; k++) for (int i = 0; i < CSCAN_FINE_BINS; i++) { tab[0][i] += tab[k][i]; tab[k][i] = 0; }
                for (int i = 0; i < CSCAN_FINE_BINS; i++) { acc->fine[i] += tab[0][i]; tab[0][i] = 0; }
                acc->below += hsum8i(L.below); acc->zeros += hsum8i(L.zeros);
                acc->count += vectors * 8; acc->non_finite += hsum8i(L.nonfinite);
                L.below = L.zeros = L.nonfinite = _mm256_setzero_si256();
                vectors = 0; groups_since_flush = 0;
            }
        }
        float rowmax = hmax8(vrowmax);
        if (g < rl) {
            float m = cscan_scalar_group(t, row + g * es, rl - g, tau, acc);
            if (m > rowmax) rowmax = m;
        }
        acc->int4_error += hsum8(ve4);
        if (rowmax > 0) {
            __m256 vm = _mm256_set1_ps(rowmax);
            __m256 inv = _mm256_div_ps(l127, vm), scale = _mm256_div_ps(vm, l127);
            __m256 e8a = zero, e8b = zero;
            int64_t i = 0;
            for (; i + 16 <= rl; i += 16) {
                __m256 a = load8(t, row + i * es), b = load8(t, row + (i + 8) * es);
                a = _mm256_and_ps(a, _mm256_castsi256_ps(_mm256_cmpgt_epi32(infbits, _mm256_and_si256(_mm256_castps_si256(a), _mm256_castps_si256(absmask)))));
                b = _mm256_and_ps(b, _mm256_castsi256_ps(_mm256_cmpgt_epi32(infbits, _mm256_and_si256(_mm256_castps_si256(b), _mm256_castps_si256(absmask)))));
                e8a = qerr8(a, inv, scale, e8a);
                e8b = qerr8(b, inv, scale, e8b);
            }
            acc->int8_error += hsum8(_mm256_add_ps(e8a, e8b)) + cscan_scalar_int8(t, row + i * es, rl - i, rowmax);
        }
        if (rowmax > acc->absmax) acc->absmax = rowmax;
    }
    for (int k = 1; k < 4; k++) for (int i = 0; i < CSCAN_FINE_BINS; i++) tab[0][i] += tab[k][i];
    for (int i = 0; i < CSCAN_FINE_BINS; i++) acc->fine[i] += tab[0][i];
    acc->below += hsum8i(L.below); acc->zeros += hsum8i(L.zeros);
    acc->count += vectors * 8; acc->non_finite += hsum8i(L.nonfinite);
    acc->sum += hsum4d(_mm256_add_pd(L.sum0, L.sum1));
    acc->sum_squares += hsum4d(_mm256_add_pd(L.sq0, L.sq1));
    float mn = hmin8(L.vmin), mx = hmax8(L.vmax);
    if (mn < acc->min) acc->min = mn;
    if (mx > acc->max) acc->max = mx;
}

T void cscan_rows_avx2(cscan_dtype t, const uint8_t *src, int64_t rows, int64_t rl, float tau, cscan_acc *acc) {
    uint32_t tab[4][CSCAN_FINE_BINS] __attribute__((aligned(64)));
    memset(tab, 0, sizeof tab);
    switch (t) {
    case CSCAN_F32: rows_kernel(CSCAN_F32, src, rows, rl, tau, acc, tab); break;
    case CSCAN_F16: rows_kernel(CSCAN_F16, src, rows, rl, tau, acc, tab); break;
    case CSCAN_BF16: rows_kernel(CSCAN_BF16, src, rows, rl, tau, acc, tab); break;
    }
}

INLINE T int64_t below_kernel(cscan_dtype t, const uint8_t *src, int64_t n, float tau) {
    const int64_t es = cscan_element_size(t);
    const __m256 absmask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF)), vtau = _mm256_set1_ps(tau);
    int64_t total = 0, i = 0;
    while (i + 8 <= n) {
        __m256i c0 = _mm256_setzero_si256(), c1 = _mm256_setzero_si256();
        int64_t end = n - i > ((int64_t)1 << 28) ? i + ((int64_t)1 << 28) : n;
        for (; i + 16 <= end; i += 16) {
            c0 = _mm256_sub_epi32(c0, _mm256_castps_si256(_mm256_cmp_ps(_mm256_and_ps(load8(t, src + i * es), absmask), vtau, _CMP_LT_OQ)));
            c1 = _mm256_sub_epi32(c1, _mm256_castps_si256(_mm256_cmp_ps(_mm256_and_ps(load8(t, src + (i + 8) * es), absmask), vtau, _CMP_LT_OQ)));
        }
        total += hsum8i(_mm256_add_epi32(c0, c1));
        if (end == n) break;
    }
    return total + cscan_count_below_scalar(t, src + i * es, n - i, tau);
}

T int64_t cscan_count_below_avx2(cscan_dtype t, const uint8_t *src, int64_t n, float tau) {
    switch (t) {
    case CSCAN_F32: return below_kernel(CSCAN_F32, src, n, tau);
    case CSCAN_F16: return below_kernel(CSCAN_F16, src, n, tau);
    default: return below_kernel(CSCAN_BF16, src, n, tau);
    }
}
#else
void cscan_rows_avx2(cscan_dtype t, const uint8_t *src, int64_t rows, int64_t rl, float tau, cscan_acc *acc) {
    cscan_rows_scalar(t, src, rows, rl, tau, acc);
}
int64_t cscan_count_below_avx2(cscan_dtype t, const uint8_t *src, int64_t n, float tau) {
    return cscan_count_below_scalar(t, src, n, tau);
}
#endif
