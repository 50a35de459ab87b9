/* Portable reference variant: element by element, sums in double. */
#include "internal.h"

void cscan_rows_scalar(cscan_dtype t, const uint8_t *src, int64_t rows, int64_t rl, float tau, cscan_acc *acc) {
    const int64_t es = cscan_element_size(t);
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *row = src + r * rl * es;
        float rowmax = 0;
        for (int64_t g = 0; g < rl; g += CSCAN_INT4_GROUP) {
            int64_t n = rl - g < CSCAN_INT4_GROUP ? rl - g : CSCAN_INT4_GROUP;
            float m = cscan_scalar_group(t, row + g * es, n, tau, acc);
            if (m > rowmax) rowmax = m;
        }
        acc->int8_error += cscan_scalar_int8(t, row, rl, rowmax);
        if (rowmax > acc->absmax) acc->absmax = rowmax;
    }
}

int64_t cscan_count_below_scalar(cscan_dtype t, const uint8_t *src, int64_t n, float tau) {
    int64_t c = 0;
    for (int64_t i = 0; i < n; i++) c += fabsf(cscan_load(t, src, i)) < tau;
    return c;
}
