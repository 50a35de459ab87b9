/* Run-time variant selection and the accumulator helpers. */
#include "internal.h"

void cscan_acc_init(cscan_acc *acc) {
    memset(acc, 0, sizeof *acc);
    acc->min = INFINITY;
    acc->max = -INFINITY;
}

void cscan_acc_merge(cscan_acc *into, const cscan_acc *from) {
    into->sum += from->sum; into->sum_squares += from->sum_squares;
    into->int8_error += from->int8_error; into->int4_error += from->int4_error;
    if (from->min < into->min) into->min = from->min;
    if (from->max > into->max) into->max = from->max;
    if (from->absmax > into->absmax) into->absmax = from->absmax;
    into->count += from->count; into->zeros += from->zeros;
    into->below += from->below; into->non_finite += from->non_finite;
    for (int i = 0; i < CSCAN_FINE_BINS; i++) into->fine[i] += from->fine[i];
}

int cscan_variant_available(cscan_variant v) {
    switch (v) {
    case CSCAN_SCALAR: return 1;
#if defined(__x86_64__) || defined(__i386__)
    case CSCAN_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
#endif
    default: return 0;
    }
}

cscan_variant cscan_best_variant(void) {
    static int cached = -1;
    int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c < 0) {
        c = cscan_variant_available(CSCAN_AVX2) ? CSCAN_AVX2 : CSCAN_SCALAR;
        __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    }
    return (cscan_variant)c;
}

const char *cscan_variant_name(cscan_variant v) {
    switch (v) {
    case CSCAN_SCALAR: return "scalar";
    case CSCAN_AVX2: return "avx2";
    default: return "unknown";
    }
}

void cscan_rows(cscan_variant v, cscan_dtype t, const void *src, int64_t rows, int64_t row_length, float tau,
                cscan_acc *acc) {
    if (rows <= 0 || row_length <= 0) return;
    if (v == CSCAN_AVX2 && cscan_variant_available(CSCAN_AVX2)) cscan_rows_avx2(t, (const uint8_t *)src, rows, row_length, tau, acc);
    else cscan_rows_scalar(t, (const uint8_t *)src, rows, row_length, tau, acc);
}

int64_t cscan_count_below(cscan_variant v, cscan_dtype t, const void *src, int64_t n, float tau) {
    if (n <= 0) return 0;
    if (v == CSCAN_AVX2 && cscan_variant_available(CSCAN_AVX2)) return cscan_count_below_avx2(t, (const uint8_t *)src, n, tau);
    return cscan_count_below_scalar(t, (const uint8_t *)src, n, tau);
}
