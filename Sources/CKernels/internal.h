#ifndef CKERNELS_INTERNAL_H
#define CKERNELS_INTERNAL_H
#include "ckernels.h"

/* The scalar element steps, shared by the scalar variant and the AVX2 variant's tails so both
 * round identically. FP contraction is off in every file of this target. */
#pragma STDC FP_CONTRACT OFF

static inline __attribute__((always_inline))
void ck_adam_element(const float *g, float *w, float *m, float *v, const float *mask, size_t i,
                     const ck_adam_params *p, int masked) {
    float wi = w[i];
    float ge = g[i] + p->l2 * wi;
    if (masked) ge *= mask[i];
    float mi = p->beta1 * m[i] + p->one_minus_beta1 * ge;
    float vi = p->beta2 * v[i] + (p->one_minus_beta2 * ge) * ge;
    if (masked) { mi *= mask[i]; vi *= mask[i]; }
    m[i] = mi;
    v[i] = vi;
    float denom = __builtin_sqrtf(vi) * p->inv_sqrt_bc2 + p->epsilon;
    float wn = wi * p->decay - (p->step_size * mi) / denom;
    if (masked) wn *= mask[i];
    w[i] = wn;
}

void ck_adam_scalar(size_t n, const float *g, float *w, float *m, float *v, const float *mask, const ck_adam_params *p);
void ck_adam_avx2(size_t n, const float *g, float *w, float *m, float *v, const float *mask, const ck_adam_params *p);
void ck_relu_forward_scalar(size_t n, const float *x, float *y);
void ck_relu_forward_avx2(size_t n, const float *x, float *y);
void ck_relu_backward_scalar(size_t n, const float *g, const float *y, float *out);
void ck_relu_backward_avx2(size_t n, const float *g, const float *y, float *out);
void ck_column_sums_scalar(size_t rows, size_t cols, const float *m, float *out, float beta);
void ck_column_sums_avx2(size_t rows, size_t cols, const float *m, float *out, float beta);
void ck_multiply_scalar(size_t n, const float *a, const float *b, float *c);
void ck_multiply_avx2(size_t n, const float *a, const float *b, float *c);
int ck_cpu_has_avx2_fma(void);
#endif
