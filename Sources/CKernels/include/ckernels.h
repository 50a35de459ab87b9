#ifndef CKERNELS_H
#define CKERNELS_H
/*
 * CKernels: fp32 elementwise and row kernels of Tend's training step (optimizer update,
 * activations, bias reductions, softmax cross-entropy).
 *
 * Every kernel exists as a portable scalar reference and an AVX2 variant, selected at run time by
 * CPU feature (`__builtin_cpu_supports`), never by global compiler flags. Both variants perform the
 * same IEEE operations in the same order per element (no FMA contraction, exact `sqrt` and
 * division), so their results are equal bit for bit; tests check this on odd lengths.
 * Buffers must not overlap unless a kernel says otherwise. Lengths are element counts.
 */
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Kernel variants. */
typedef enum {
    CK_SCALAR = 0,
    CK_AVX2 = 1,
} ck_variant;

/* Whether `v` can run on this CPU (and was compiled into this build). */
int ck_variant_available(ck_variant v);
/* The fastest available variant (cached after the first call). */
ck_variant ck_best_variant(void);
/* "scalar" or "avx2". */
const char *ck_variant_name(ck_variant v);

/* Constants of one Adam/AdamW step (see ck_adam). */
typedef struct {
    float beta1, beta2;
    float one_minus_beta1, one_minus_beta2;
    float epsilon;
    /* lr / (1 - beta1^t) */
    float step_size;
    /* 1 / sqrt(1 - beta2^t) */
    float inv_sqrt_bc2;
    /* 1 - lr * decoupled weight decay (1 for Adam) */
    float decay;
    /* coefficient of w added to the gradient (2 * lambda for L2; 0 for AdamW) */
    float l2;
} ck_adam_params;

/* One Adam/AdamW step over n entries, in place on w, m, v:
 *   g' = (g + l2*w) * k;  m = (b1*m + c1*g') * k;  v = (b2*v + (c2*g')*g') * k;
 *   w = (w*decay - (step_size*m) / (sqrt(v)*inv_sqrt_bc2 + eps)) * k
 * where k is mask[i] (0 or 1) when `mask` is non-NULL and 1 otherwise (no multiply then). */
void ck_adam(ck_variant var, size_t n, const float *g, float *w, float *m, float *v, const float *mask,
             const ck_adam_params *p);

/* y = x > 0 ? x : 0 (NaN and -0 give +0). x and y may be the same buffer. */
void ck_relu_forward(ck_variant var, size_t n, const float *x, float *y);

/* out = y > 0 ? g : 0 (y is the forward output). out may be the same buffer as g. */
void ck_relu_backward(ck_variant var, size_t n, const float *g, const float *y, float *out);

/* out[j] = beta*out[j] + sum over rows r of m[r*cols + j], rows added in order 0, 1, ...
 * beta == 0 ignores the previous contents of out; beta == 1 skips the multiply. */
void ck_column_sums(ck_variant var, size_t rows, size_t cols, const float *m, float *out, float beta);

/* c = a * b elementwise (dropout masks). c may be the same buffer as a or b. */
void ck_multiply(ck_variant var, size_t n, const float *a, const float *b, float *c);

/* Small-row products against a weight packed once. `ck_pack_weight` packs W [n, k] (row stride ldw;
 * rows are outputs) into ceil(n/16) panels of 16 outputs x k (zeros past n); `ck_packed_weight_count`
 * floats. `ck_packed_gemm` writes C[r, o] = sum_k X[r, k] W[o, k] for all m rows and the outputs of
 * panels [panel_begin, panel_end) (C row stride ldc, X row stride ldx). The AVX2 variant uses FMA
 * (needs avx2 and fma; else the scalar reference runs): equal to the reference within rounding. */
size_t ck_packed_weight_count(size_t n, size_t k);
void ck_pack_weight(size_t n, size_t k, const float *w, size_t ldw, float *packed);
void ck_packed_gemm(ck_variant v, size_t m, size_t n, size_t k, const float *x, size_t ldx, const float *packed,
                    size_t panel_begin, size_t panel_end, float *c, size_t ldc);

/* Scaled dot-product attention of one head over one sequence of n tokens, head size d:
 * out[i, t] = sum_j softmax_j(scale * (q_i + bq) . (k_j + bk)) (v[j, t] + bv[t]). q, k and v rows have stride ld
 * (a head's columns of a fused [tokens, 3*hidden] projection); the d-float biases may be NULL (none); out rows stride ldo; `scratch` holds
 * `ck_attention_scratch_count(n, d)` floats. The AVX2 variant uses FMA and needs avx2, fma and d % 8 == 0
 * (`ck_attention_variant_runs` says which variant a call runs; else the scalar reference runs). */
size_t ck_attention_scratch_count(size_t n, size_t d);
int ck_attention_variant_runs(ck_variant v, size_t d);
void ck_attention(ck_variant v, size_t n, size_t d, const float *q, const float *k, const float *val, size_t ld,
                  const float *bq, const float *bk, const float *bv, float scale, float *out, size_t ldo, float *scratch);

/* p[r, j] = gelu(p[r, j] + bias[j]) in place over `rows` rows of `cols` (row stride ldp): exact GELU,
 * v/2 (1 + erf(v/sqrt 2)) with erf as FastMath.erf's rational polynomial. The AVX2 variant uses FMA (needs
 * avx2 and fma; else the scalar reference runs). */
void ck_bias_gelu_rows(ck_variant v, size_t rows, size_t cols, float *p, size_t ldp, const float *bias);

#ifdef __cplusplus
}
#endif
#endif
