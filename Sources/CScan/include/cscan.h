#ifndef CSCAN_H
#define CSCAN_H
/*
 * CScan: one-pass statistics of floating-point weight tensors (the kernel behind `tend inspect`).
 *
 * A call scans `rows` rows of `row_length` elements (F32, F16 or BF16, little-endian, any alignment) and
 * adds into a cscan_acc:
 *   - count, zeros (x == ±0), non_finite (NaN, ±Inf), below (|x| < tau; NaN and ±Inf never count);
 *   - sum and sum_squares of the finite values, accumulated in double (lanes summed in a different order
 *     than the scalar variant: agreement to ~1e-15 relative);
 *   - min, max and absmax of the finite values (+inf / -inf / 0 when there are none);
 *   - fine[i]: values whose |x| bits >> 20 equal i (sign dropped; 8 bins per octave: exponent and the top
 *     three mantissa bits). i >= CSCAN_FINE_NONFINITE holds NaN and ±Inf; i < 8 zeros and subnormals;
 *   - int8_error: Σ (x - q(x))² with symmetric round-to-nearest-even quantization, one scale per row
 *     (absmax/127 over the row's finite values, levels -127..127);
 *   - int4_error: the same with one scale per group of CSCAN_INT4_GROUP consecutive elements of a row
 *     (the last group of a row may be shorter), levels -7..7.
 * Non-finite values quantize to nothing: they add no error.
 *
 * Variants are chosen at run time (`__builtin_cpu_supports`), never by global compiler flags: a portable
 * scalar one and AVX2 (+FMA, F16C). Counts and histogram bins are identical across variants; sums and
 * errors agree to float rounding.
 */
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { CSCAN_SCALAR = 0, CSCAN_AVX2 = 1 } cscan_variant;
typedef enum { CSCAN_F32 = 0, CSCAN_F16 = 1, CSCAN_BF16 = 2 } cscan_dtype;

#define CSCAN_FINE_BINS 2048
#define CSCAN_FINE_NONFINITE 0x7F8
#define CSCAN_INT4_GROUP 32

/* Running statistics; initialise with cscan_acc_init, combine partial scans with cscan_acc_merge. */
typedef struct {
    double sum, sum_squares;
    double int8_error, int4_error;
    float min, max, absmax;
    int64_t count, zeros, below, non_finite;
    int64_t fine[CSCAN_FINE_BINS];
} cscan_acc;

void cscan_acc_init(cscan_acc *acc);
void cscan_acc_merge(cscan_acc *into, const cscan_acc *from);

int cscan_variant_available(cscan_variant v);
cscan_variant cscan_best_variant(void);
const char *cscan_variant_name(cscan_variant v);

/* Adds `rows` x `row_length` elements of `dtype` at `src` into `acc` (see above). Unavailable variants
 * fall back to scalar. */
void cscan_rows(cscan_variant v, cscan_dtype dtype, const void *src, int64_t rows, int64_t row_length,
                float tau, cscan_acc *acc);

/* Number of elements with |x| < tau (NaN never). */
int64_t cscan_count_below(cscan_variant v, cscan_dtype dtype, const void *src, int64_t n, float tau);

#ifdef __cplusplus
}
#endif
#endif
