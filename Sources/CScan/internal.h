#ifndef CSCAN_INTERNAL_H
#define CSCAN_INTERNAL_H
#include "cscan.h"
#include <math.h>
#include <string.h>

void cscan_rows_scalar(cscan_dtype dtype, const uint8_t *src, int64_t rows, int64_t row_length, float tau, cscan_acc *acc);
void cscan_rows_avx2(cscan_dtype dtype, const uint8_t *src, int64_t rows, int64_t row_length, float tau, cscan_acc *acc);
int64_t cscan_count_below_scalar(cscan_dtype dtype, const uint8_t *src, int64_t n, float tau);
int64_t cscan_count_below_avx2(cscan_dtype dtype, const uint8_t *src, int64_t n, float tau);

static inline int64_t cscan_element_size(cscan_dtype t) { return t == CSCAN_F32 ? 4 : 2; }

/* IEEE binary16 bits to float (exact). */
static inline float cscan_half(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16, exp = (h >> 10) & 0x1F, mant = h & 0x3FF, bits;
    if (exp == 0) {
        float v = (float)mant * 0x1p-24f;
        return sign ? -v : v;
    }
    bits = exp == 31 ? (sign | 0x7F800000u | (mant << 13)) : (sign | ((exp + 112) << 23) | (mant << 13));
    float f; memcpy(&f, &bits, 4); return f;
}

/* Element i of a little-endian array of `t` at p (any alignment). */
static inline float cscan_load(cscan_dtype t, const uint8_t *p, int64_t i) {
    float f;
    if (t == CSCAN_F32) { memcpy(&f, p + 4 * i, 4); return f; }
    uint16_t h; memcpy(&h, p + 2 * i, 2);
    if (t == CSCAN_F16) return cscan_half(h);
    uint32_t bits = (uint32_t)h << 16; memcpy(&f, &bits, 4); return f;
}

static inline uint32_t cscan_abs_bits(float x) { uint32_t b; memcpy(&b, &x, 4); return b & 0x7FFFFFFFu; }

/* Symmetric round-to-nearest-even quantization error of one finite value with reciprocal scale `inv`. */
static inline float cscan_qerr(float x, float inv, float scale, float levels) {
    float v = x * inv;
    v = v < -levels ? -levels : (v > levels ? levels : v);
    float d = x - nearbyintf(v) * scale;
    return d * d;
}

/* Counts, moments and histogram of n elements from p; returns their finite absmax. Also adds the int4
 * error of these n elements taken as one group. */
static inline float cscan_scalar_group(cscan_dtype t, const uint8_t *p, int64_t n, float tau, cscan_acc *acc) {
    float gmax = 0;
    for (int64_t i = 0; i < n; i++) {
        float x = cscan_load(t, p, i);
        uint32_t ab = cscan_abs_bits(x);
        acc->fine[ab >> 20]++;
        acc->count++;
        if (ab >= 0x7F800000u) { acc->non_finite++; continue; }
        if (ab == 0) acc->zeros++;
        float ax = fabsf(x);
        if (ax < tau) acc->below++;
        acc->sum += x;
        acc->sum_squares += (double)x * x;
        if (x < acc->min) acc->min = x;
        if (x > acc->max) acc->max = x;
        if (ax > gmax) gmax = ax;
    }
    if (gmax > 0) {
        float inv = 7.0f / gmax, scale = gmax / 7.0f;
        double e = 0;
        for (int64_t i = 0; i < n; i++) {
            float x = cscan_load(t, p, i);
            if (cscan_abs_bits(x) < 0x7F800000u) e += cscan_qerr(x, inv, scale, 7.0f);
        }
        acc->int4_error += e;
    }
    return gmax;
}

/* int8 error of n elements with the row scale absmax/127. */
static inline double cscan_scalar_int8(cscan_dtype t, const uint8_t *p, int64_t n, float absmax) {
    if (!(absmax > 0)) return 0;
    float inv = 127.0f / absmax, scale = absmax / 127.0f;
    double e = 0;
    for (int64_t i = 0; i < n; i++) {
        float x = cscan_load(t, p, i);
        if (cscan_abs_bits(x) < 0x7F800000u) e += cscan_qerr(x, inv, scale, 127.0f);
    }
    return e;
}
#endif
