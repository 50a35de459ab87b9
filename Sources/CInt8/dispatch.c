/* Run-time selection of kernel variants and the threaded product. */
#include "internal.h"
#include <pthread.h>

int cint8_avxvnni_compiled(void);

int cint8_variant_available(cint8_variant v) {
    switch (v) {
    case CINT8_SCALAR: return 1;
#if defined(__x86_64__) || defined(__i386__)
    case CINT8_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") ? 1 : 0;
    case CINT8_AVXVNNI:
        __builtin_cpu_init();
        return cint8_avxvnni_compiled() && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("avxvnni") ? 1 : 0;
#endif
    default: return 0;
    }
}

cint8_variant cint8_best_variant(void) {
    static int cached = -1;
    int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (c < 0) {
        c = cint8_variant_available(CINT8_AVXVNNI) ? CINT8_AVXVNNI
          : cint8_variant_available(CINT8_AVX2) ? CINT8_AVX2 : CINT8_SCALAR;
        __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
    }
    return (cint8_variant)c;
}

const char *cint8_variant_name(cint8_variant v) {
    switch (v) {
    case CINT8_SCALAR: return "scalar";
    case CINT8_AVX2: return "avx2";
    case CINT8_AVXVNNI: return "avx-vnni";
    default: return "unknown";
    }
}

/* Epilogue SIMD is AVX2 for both SIMD variants. */
static int simd(cint8_variant v) { return v != CINT8_SCALAR && cint8_variant_available(CINT8_AVX2); }

static void gemm_panels(cint8_variant v, int M, int N, int K, const uint8_t *A, int lda, const int8_t *P,
                        int p0, int p1, int32_t *C, int ldc) {
    switch (v) {
    case CINT8_AVXVNNI: cint8_gemm_avxvnni(M, N, K, A, lda, P, p0, p1, C, ldc); break;
    case CINT8_AVX2: cint8_gemm_avx2(M, N, K, A, lda, P, p0, p1, C, ldc); break;
    default: cint8_gemm_scalar(M, N, K, A, lda, P, p0, p1, C, ldc); break;
    }
}

void cint8_gemm_u7s8(cint8_variant v, int M, int N, int K, const uint8_t *A, int lda, const int8_t *packed,
                     int32_t *C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (!cint8_variant_available(v)) v = CINT8_SCALAR;
    gemm_panels(v, M, N, K, A, lda, packed, 0, (N + 7) / 8, C, ldc);
}

typedef struct {
    cint8_variant v;
    int M, N, K;
    const uint8_t *A; int lda;
    const int8_t *P; int p0, p1;
    int32_t *C; int ldc;
} gemm_job;

static void *run_job(void *p) {
    gemm_job *j = (gemm_job *)p;
    gemm_panels(j->v, j->M, j->N, j->K, j->A, j->lda, j->P, j->p0, j->p1, j->C, j->ldc);
    return 0;
}

/* Below this many multiply-adds a product runs on the calling thread: a thread start costs 30-100 us
 * on a busy machine, more than splitting a digits-sized product saves. */
#define PARALLEL_MACS (1L << 24)
#define MAX_THREADS 16

void cint8_gemm_u7s8_parallel(int M, int N, int K, const uint8_t *A, int lda, const int8_t *packed,
                              int32_t *C, int ldc, int threads) {
    if (M <= 0 || N <= 0) return;
    cint8_variant v = cint8_best_variant();
    int panels = (N + 7) / 8;
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    if (threads <= 1 || (long)M * N * K < PARALLEL_MACS || panels < 6 * threads) {
        gemm_panels(v, M, N, K, A, lda, packed, 0, panels, C, ldc);
        return;
    }
    gemm_job jobs[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    /* Panel ranges in multiples of 3 (the 4x3 block width). */
    int per = ((panels + threads - 1) / threads + 2) / 3 * 3;
    int parts = 0;
    for (int t = 0; t < threads && t * per < panels; t++) {
        int p0 = t * per, p1 = p0 + per < panels ? p0 + per : panels;
        jobs[t] = (gemm_job){v, M, N, K, A, lda, packed, p0, p1, C, ldc};
        parts++;
    }
    for (int t = 1; t < parts; t++)
        started[t] = pthread_create(&tids[t], 0, run_job, &jobs[t]) == 0;
    run_job(&jobs[0]);
    for (int t = 1; t < parts; t++) {
        if (started[t]) pthread_join(tids[t], 0);
        else run_job(&jobs[t]);
    }
}

void cint8_dequantize(cint8_variant v, int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                      cint8_epilogue e, int relu, float *y, int ldy) {
    if (simd(v)) cint8_dequantize_avx2(M, N, C, ldc, row_sum, e, relu, y, ldy);
    else cint8_dequantize_scalar(M, N, C, ldc, row_sum, e, relu, y, ldy);
}

void cint8_requantize_u7(cint8_variant v, int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                         cint8_epilogue e, int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq,
                         int32_t *q_row_sum) {
    if (simd(v)) cint8_requantize_avx2(M, N, C, ldc, row_sum, e, relu, inv_scale, zero, q, ldq, q_row_sum);
    else cint8_requantize_scalar(M, N, C, ldc, row_sum, e, relu, inv_scale, zero, q, ldq, q_row_sum);
}

void cint8_quantize_u7(cint8_variant v, int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                       uint8_t *q, int ldq, int32_t *row_sum) {
    if (simd(v)) cint8_quantize_avx2(M, K, x, ldx, inv_scale, zero, q, ldq, row_sum);
    else cint8_quantize_scalar(M, K, x, ldx, inv_scale, zero, q, ldq, row_sum);
}
