/* Fused scaled dot-product attention of one head over one sequence (transformer inference).
 *
 * Per (sequence, head) two sgemm calls (n x n x d and n x d x n) each pack their operands and pay a call's
 * overhead for very little work (MiniLM: d = 32). Here K is transposed once into scratch (scaled), then each
 * block of up to 6 query rows gets its scores (12 accumulators, no packing), its softmax (unnormalised
 * exponentials; the 1/sum goes into the output) and its product with V, all in L1/L2.
 * The AVX2 variant uses FMA (needs avx2 and fma, and d a multiple of 8; otherwise the scalar reference
 * runs): equal to the reference within rounding, not bit for bit. */
#include "internal.h"
#include <math.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#define ATT_ROWS 6

static size_t padded(size_t n) { return (n + 7) & ~(size_t)7; }

size_t ck_attention_scratch_count(size_t n, size_t d) { return (2 * d + ATT_ROWS) * padded(n) + ATT_ROWS * d; }

/* Bias b[t] (0 without one). */
static inline float bias_at(const float *b, size_t t) { return b ? b[t] : 0.0f; }

static void attention_scalar(size_t n, size_t d, const float *q, const float *k, const float *v, size_t ld,
                             const float *bq, const float *bk, const float *bv,
                             float scale, float *out, size_t ldo, float *scratch) {
    float *s = scratch; /* one row of n scores */
    for (size_t i = 0; i < n; i++) {
        const float *qi = q + i * ld;
        float mx = -INFINITY;
        for (size_t j = 0; j < n; j++) {
            const float *kj = k + j * ld;
            float acc = 0.0f;
            for (size_t t = 0; t < d; t++) acc += (qi[t] + bias_at(bq, t)) * (kj[t] + bias_at(bk, t));
            s[j] = acc * scale;
            if (s[j] > mx) mx = s[j];
        }
        float sum = 0.0f;
        for (size_t j = 0; j < n; j++) { s[j] = expf(s[j] - mx); sum += s[j]; }
        float inv = 1.0f / sum;
        float *oi = out + i * ldo;
        for (size_t t = 0; t < d; t++) oi[t] = 0.0f;
        for (size_t j = 0; j < n; j++) {
            const float *vj = v + j * ld;
            float p = s[j] * inv;
            for (size_t t = 0; t < d; t++) oi[t] += p * (vj[t] + bias_at(bv, t));
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#define AVX2FMA __attribute__((target("avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

/* exp(x) for x <= 0 (scores minus their row maximum), Cephes polynomial as FastMath.exp8. */
INLINE AVX2FMA __m256 exp_nonpositive(__m256 x) {
    x = _mm256_max_ps(x, _mm256_set1_ps(-87.3f));
    const __m256 magic = _mm256_set1_ps(12582912.0f);
    __m256 shifted = _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504f), magic);
    __m256 nn = _mm256_sub_ps(shifted, magic);
    __m256 r = _mm256_fnmadd_ps(nn, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(nn, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    __m256 y = _mm256_add_ps(_mm256_fmadd_ps(_mm256_mul_ps(p, r), r, r), _mm256_set1_ps(1.0f));
    __m256i bits = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_set1_epi32(0x4B400000));
    __m256i pow2 = _mm256_slli_epi32(_mm256_add_epi32(bits, _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(pow2));
}

/* s[r, j] = Σ_t q[r, t] kt[t, j] for R rows and all np (multiple of 8) columns. */
INLINE AVX2FMA void scores_block(int R, size_t d, size_t np, const float *q, size_t ld, const float *kt, float *s) {
    size_t j = 0;
    for (; j + 16 <= np; j += 16) {
        __m256 a0[ATT_ROWS], a1[ATT_ROWS];
        for (int r = 0; r < R; r++) { a0[r] = _mm256_setzero_ps(); a1[r] = _mm256_setzero_ps(); }
        for (size_t t = 0; t < d; t++) {
            __m256 w0 = _mm256_loadu_ps(kt + t * np + j), w1 = _mm256_loadu_ps(kt + t * np + j + 8);
            for (int r = 0; r < R; r++) {
                __m256 x = _mm256_broadcast_ss(q + r * ld + t);
                a0[r] = _mm256_fmadd_ps(x, w0, a0[r]); a1[r] = _mm256_fmadd_ps(x, w1, a1[r]);
            }
        }
        for (int r = 0; r < R; r++) { _mm256_storeu_ps(s + r * np + j, a0[r]); _mm256_storeu_ps(s + r * np + j + 8, a1[r]); }
    }
    if (j < np) {
        __m256 a0[ATT_ROWS];
        for (int r = 0; r < R; r++) a0[r] = _mm256_setzero_ps();
        for (size_t t = 0; t < d; t++) {
            __m256 w0 = _mm256_loadu_ps(kt + t * np + j);
            for (int r = 0; r < R; r++) a0[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(q + r * ld + t), w0, a0[r]);
        }
        for (int r = 0; r < R; r++) _mm256_storeu_ps(s + r * np + j, a0[r]);
    }
}

/* Row r of s (n scores, np stored) becomes its exponentials shifted by the row maximum, zeros past n;
 * returns 1 / their sum. */
INLINE AVX2FMA float softmax_row(float *s, size_t n, size_t np) {
    size_t j = 0;
    __m256 m8 = _mm256_set1_ps(-INFINITY);
    for (; j + 8 <= n; j += 8) m8 = _mm256_max_ps(m8, _mm256_loadu_ps(s + j));
    float lanes[8];
    _mm256_storeu_ps(lanes, m8);
    float mx = lanes[0];
    for (int l = 1; l < 8; l++) if (lanes[l] > mx) mx = lanes[l];
    for (; j < n; j++) if (s[j] > mx) mx = s[j];
    for (j = n; j < np; j++) s[j] = -INFINITY; /* exp gives 0 (clamped: tiny, then zeroed below) */
    __m256 shift = _mm256_set1_ps(mx), sum8 = _mm256_setzero_ps();
    for (j = 0; j < np; j += 8) {
        __m256 e = exp_nonpositive(_mm256_sub_ps(_mm256_loadu_ps(s + j), shift));
        _mm256_storeu_ps(s + j, e);
        if (j + 8 <= n) sum8 = _mm256_add_ps(sum8, e);
    }
    _mm256_storeu_ps(lanes, sum8);
    float sum = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
    for (j = n & ~(size_t)7; j < n; j++) sum += s[j];
    for (j = n; j < np; j++) s[j] = 0.0f;
    return 1.0f / sum;
}

/* out[r, c] = inv[r] Σ_{j<n} p[r, j] v[j, c] for R rows, d (multiple of 8) columns. */
INLINE AVX2FMA void context_block(int R, size_t n, size_t d, size_t np, const float *p, const float *v, size_t ld,
                                  const float *inv, float *out, size_t ldo) {
    size_t c = 0;
    for (; c + 16 <= d; c += 16) {
        __m256 a0[ATT_ROWS], a1[ATT_ROWS];
        for (int r = 0; r < R; r++) { a0[r] = _mm256_setzero_ps(); a1[r] = _mm256_setzero_ps(); }
        for (size_t j = 0; j < n; j++) {
            __m256 v0 = _mm256_loadu_ps(v + j * ld + c), v1 = _mm256_loadu_ps(v + j * ld + c + 8);
            for (int r = 0; r < R; r++) {
                __m256 x = _mm256_broadcast_ss(p + r * np + j);
                a0[r] = _mm256_fmadd_ps(x, v0, a0[r]); a1[r] = _mm256_fmadd_ps(x, v1, a1[r]);
            }
        }
        for (int r = 0; r < R; r++) {
            __m256 sc = _mm256_set1_ps(inv[r]);
            _mm256_storeu_ps(out + r * ldo + c, _mm256_mul_ps(a0[r], sc));
            _mm256_storeu_ps(out + r * ldo + c + 8, _mm256_mul_ps(a1[r], sc));
        }
    }
    if (c < d) {
        __m256 a0[ATT_ROWS];
        for (int r = 0; r < R; r++) a0[r] = _mm256_setzero_ps();
        for (size_t j = 0; j < n; j++) {
            __m256 v0 = _mm256_loadu_ps(v + j * ld + c);
            for (int r = 0; r < R; r++) a0[r] = _mm256_fmadd_ps(_mm256_broadcast_ss(p + r * np + j), v0, a0[r]);
        }
        for (int r = 0; r < R; r++) _mm256_storeu_ps(out + r * ldo + c, _mm256_mul_ps(a0[r], _mm256_set1_ps(inv[r])));
    }
}

/* R query rows (stride ldq) against the transposed keys kt and contiguous values vc [n, d]. */
INLINE AVX2FMA void row_block(int R, size_t n, size_t d, size_t np, const float *q, size_t ldq, const float *vc,
                              const float *kt, float *s, float *out, size_t ldo) {
    float inv[ATT_ROWS];
    scores_block(R, d, np, q, ldq, kt, s);
    for (int r = 0; r < R; r++) inv[r] = softmax_row(s + r * np, n, np);
    context_block(R, n, d, np, s, vc, d, inv, out, ldo);
}

/* dst[c, r] = scale * (src[r, c] + b[c]) for an 8 x 8 block (src rows ld apart, dst rows ldd apart). */
INLINE AVX2FMA void transpose8_scaled(const float *src, size_t ld, __m256 b, __m256 scale, float *dst, size_t ldd) {
    __m256 r0 = _mm256_add_ps(_mm256_loadu_ps(src), b), r1 = _mm256_add_ps(_mm256_loadu_ps(src + ld), b),
           r2 = _mm256_add_ps(_mm256_loadu_ps(src + 2 * ld), b), r3 = _mm256_add_ps(_mm256_loadu_ps(src + 3 * ld), b),
           r4 = _mm256_add_ps(_mm256_loadu_ps(src + 4 * ld), b), r5 = _mm256_add_ps(_mm256_loadu_ps(src + 5 * ld), b),
           r6 = _mm256_add_ps(_mm256_loadu_ps(src + 6 * ld), b), r7 = _mm256_add_ps(_mm256_loadu_ps(src + 7 * ld), b);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
           t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
           t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE), u2 = _mm256_shuffle_ps(t1, t3, 0x44),
           u3 = _mm256_shuffle_ps(t1, t3, 0xEE), u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
           u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(dst, _mm256_mul_ps(_mm256_permute2f128_ps(u0, u4, 0x20), scale));
    _mm256_storeu_ps(dst + ldd, _mm256_mul_ps(_mm256_permute2f128_ps(u1, u5, 0x20), scale));
    _mm256_storeu_ps(dst + 2 * ldd, _mm256_mul_ps(_mm256_permute2f128_ps(u2, u6, 0x20), scale));
    _mm256_storeu_ps(dst + 3 * ldd, _mm256_mul_ps(_mm256_permute2f128_ps(u3, u7, 0x20), scale));
    _mm256_storeu_ps(dst + 4 * ldd, _mm256_mul_ps(_mm256_permute2f128_ps(u0, u4, 0x31), scale));
    _mm256_storeu_ps(dst + 5 * ldd, _mm256_mul_ps(_mm256_permute2f128_ps(u1, u5, 0x31), scale));
    _mm256_storeu_ps(dst + 6 * ldd, _mm256_mul_ps(_mm256_permute2f128_ps(u2, u6, 0x31), scale));
    _mm256_storeu_ps(dst + 7 * ldd, _mm256_mul_ps(_mm256_permute2f128_ps(u3, u7, 0x31), scale));
}

INLINE AVX2FMA __m256 bias8(const float *b, size_t t) { return b ? _mm256_loadu_ps(b + t) : _mm256_setzero_ps(); }

static AVX2FMA void attention_avx2(size_t n, size_t d, const float *q, const float *k, const float *v, size_t ld,
                                   const float *bq, const float *bk, const float *bv,
                                   float scale, float *out, size_t ldo, float *scratch) {
    size_t np = padded(n);
    /* K transposed and scaled, V contiguous: rows of the fused projection are 3·hidden apart, a stride
     * that maps a head's rows onto a few L1 sets. */
    float *kt = scratch, *vc = scratch + d * np, *s = vc + d * np, *qb = s + ATT_ROWS * np;
    const __m256 sc = _mm256_set1_ps(scale);
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (size_t t = 0; t < d; t += 8) transpose8_scaled(k + j * ld + t, ld, bias8(bk, t), sc, kt + t * np + j, np);
    for (; j < n; j++)
        for (size_t t = 0; t < d; t++) kt[t * np + j] = (k[j * ld + t] + bias_at(bk, t)) * scale;
    for (size_t t = 0; t < d; t++)
        for (j = n; j < np; j++) kt[t * np + j] = 0.0f;
    for (j = 0; j < n; j++)
        for (size_t t = 0; t < d; t += 8) _mm256_storeu_ps(vc + j * d + t, _mm256_add_ps(_mm256_loadu_ps(v + j * ld + t), bias8(bv, t)));
    /* Query rows get their bias in a block copy of up to 6 rows (stride d). */
    for (size_t i = 0; i < n; i += ATT_ROWS) {
        size_t rows = n - i < ATT_ROWS ? n - i : ATT_ROWS;
        for (size_t r = 0; r < rows; r++)
            for (size_t t = 0; t < d; t += 8)
                _mm256_storeu_ps(qb + r * d + t, _mm256_add_ps(_mm256_loadu_ps(q + (i + r) * ld + t), bias8(bq, t)));
        float *oi = out + i * ldo;
        switch (rows) {
        case 6: row_block(6, n, d, np, qb, d, vc, kt, s, oi, ldo); break;
        case 5: row_block(5, n, d, np, qb, d, vc, kt, s, oi, ldo); break;
        case 4: row_block(4, n, d, np, qb, d, vc, kt, s, oi, ldo); break;
        case 3: row_block(3, n, d, np, qb, d, vc, kt, s, oi, ldo); break;
        case 2: row_block(2, n, d, np, qb, d, vc, kt, s, oi, ldo); break;
        default: row_block(1, n, d, np, qb, d, vc, kt, s, oi, ldo); break;
        }
    }
}

#endif

int ck_attention_variant_runs(ck_variant v, size_t d) {
#if defined(__x86_64__) || defined(__i386__)
    if (v == CK_AVX2) return ck_cpu_has_avx2_fma() && d % 8 == 0 && d > 0 ? CK_AVX2 : CK_SCALAR;
#endif
    (void)v; (void)d;
    return CK_SCALAR;
}

void ck_attention(ck_variant v, size_t n, size_t d, const float *q, const float *k, const float *val, size_t ld,
                  const float *bq, const float *bk, const float *bv, float scale, float *out, size_t ldo, float *scratch) {
    if (n == 0 || d == 0) return;
#if defined(__x86_64__) || defined(__i386__)
    if (ck_attention_variant_runs(v, d) == CK_AVX2) { attention_avx2(n, d, q, k, val, ld, bq, bk, bv, scale, out, ldo, scratch); return; }
#endif
    attention_scalar(n, d, q, k, val, ld, bq, bk, bv, scale, out, ldo, scratch);
}
