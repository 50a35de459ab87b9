/* Portable reference variants: plain loops, no FP contraction (see internal.h). */
#include "internal.h"

void ck_adam_scalar(size_t n, const float *g, float *w, float *m, float *v, const float *mask, const ck_adam_params *p) {
    if (mask) { for (size_t i = 0; i < n; i++) ck_adam_element(g, w, m, v, mask, i, p, 1); }
    else { for (size_t i = 0; i < n; i++) ck_adam_element(g, w, m, v, mask, i, p, 0); }
}

void ck_relu_forward_scalar(size_t n, const float *x, float *y) {
    for (size_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0.0f;
}

void ck_relu_backward_scalar(size_t n, const float *g, const float *y, float *out) {
    for (size_t i = 0; i < n; i++) out[i] = y[i] > 0 ? g[i] : 0.0f;
}

void ck_column_sums_scalar(size_t rows, size_t cols, const float *m, float *out, float beta) {
    if (beta == 0) { for (size_t j = 0; j < cols; j++) out[j] = 0; }
    else if (beta != 1) { for (size_t j = 0; j < cols; j++) out[j] *= beta; }
    for (size_t r = 0; r < rows; r++) {
        const float *row = m + r * cols;
        for (size_t j = 0; j < cols; j++) out[j] += row[j];
    }
}

void ck_multiply_scalar(size_t n, const float *a, const float *b, float *c) {
    for (size_t i = 0; i < n; i++) c[i] = a[i] * b[i];
}
