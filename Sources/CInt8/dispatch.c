/* Run-time selection of kernel variants and the threaded product. */
#include "internal.h"
#include <pthread.h>
#include <stdlib.h>

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

/* A thread's share of a product: panels [p0, p1); with `fuse`, each chunk of FUSE_PANELS panels is
 * requantized right after its product (while its int32 block is still in L2), and the row sums of the
 * new codes are added into `sums` ([M], owned by this job). */
typedef struct {
    cint8_variant v;
    int M, N, K;
    const uint8_t *A; int lda;
    const int8_t *P; int p0, p1;
    int32_t *C; int ldc;
    int fuse;
    const int32_t *row_sum; cint8_epilogue e; int relu; float inv_scale; int32_t zero;
    uint8_t *q; int ldq; int32_t *sums;
} gemm_job;

/* 16 panels = 128 outputs: a 256-row int32 block is 128 KB and stays in L2 between product and epilogue. */
#define FUSE_PANELS 16

static void requantize_columns(gemm_job *j, int n0, int n1, int32_t *chunk_sums) {
    cint8_epilogue e = {
        j->e.col_offset + n0, j->e.weight_zero ? j->e.weight_zero + n0 : 0, j->e.col_scale + n0, j->e.bias + n0,
    };
    const int32_t *c = j->C + n0;
    uint8_t *q = j->q + n0;
    if (simd(j->v)) cint8_requantize_avx2(j->M, n1 - n0, c, j->ldc, j->row_sum, e, j->relu, j->inv_scale, j->zero, q, j->ldq, chunk_sums, 0);
    else cint8_requantize_scalar(j->M, n1 - n0, c, j->ldc, j->row_sum, e, j->relu, j->inv_scale, j->zero, q, j->ldq, chunk_sums, 0);
}

static void *run_job(void *p) {
    gemm_job *j = (gemm_job *)p;
    if (!j->fuse) {
        gemm_panels(j->v, j->M, j->N, j->K, j->A, j->lda, j->P, j->p0, j->p1, j->C, j->ldc);
        return 0;
    }
    int32_t *chunk_sums = j->sums ? j->sums + j->M : 0;
    for (int c0 = j->p0; c0 < j->p1; c0 += FUSE_PANELS) {
        int c1 = c0 + FUSE_PANELS < j->p1 ? c0 + FUSE_PANELS : j->p1;
        gemm_panels(j->v, j->M, j->N, j->K, j->A, j->lda, j->P, c0, c1, j->C, j->ldc);
        int n0 = 8 * c0, n1 = 8 * c1 < j->N ? 8 * c1 : j->N;
        requantize_columns(j, n0, n1, chunk_sums);
        if (j->sums) for (int m = 0; m < j->M; m++) j->sums[m] += chunk_sums[m];
    }
    return 0;
}

/* Below this many multiply-adds a product runs on the calling thread: a thread start costs 30-100 us
 * on a busy machine, more than splitting a digits-sized product saves. */
#define PARALLEL_MACS (1L << 24)
#define MAX_THREADS 16

/* Runs `proto` over all panels, split over up to `threads` threads (the caller is one of them). */
static void run_split(gemm_job proto, int threads) {
    int M = proto.M, N = proto.N, K = proto.K;
    int panels = (N + 7) / 8;
    if (threads > MAX_THREADS) threads = MAX_THREADS;
    if (threads <= 1 || (long)M * N * K < PARALLEL_MACS || panels < 6 * threads) threads = 1;
    gemm_job jobs[MAX_THREADS];
    pthread_t tids[MAX_THREADS];
    int started[MAX_THREADS] = {0};
    /* Panel ranges in multiples of the variant's block width (4x2 panels for AVX2, 4x3 for AVX-VNNI). */
    int unit = proto.v == CINT8_AVXVNNI ? 3 : 2;
    int per = ((panels + threads - 1) / threads + unit - 1) / unit * unit;
    int parts = 0;
    int32_t *sums = 0;
    if (proto.fuse && proto.sums) {
        /* Per job: [M] running sums + [M] chunk sums. */
        sums = (int32_t *)calloc((size_t)threads * 2 * (size_t)M, sizeof(int32_t));
    }
    for (int t = 0; t < threads && t * per < panels; t++) {
        jobs[t] = proto;
        jobs[t].p0 = t * per;
        jobs[t].p1 = t * per + per < panels ? t * per + per : panels;
        jobs[t].sums = sums ? sums + (size_t)t * 2 * M : 0;
        parts++;
    }
    for (int t = 1; t < parts; t++)
        started[t] = pthread_create(&tids[t], 0, run_job, &jobs[t]) == 0;
    run_job(&jobs[0]);
    for (int t = 1; t < parts; t++) {
        if (started[t]) pthread_join(tids[t], 0);
        else run_job(&jobs[t]);
    }
    if (sums) {
        for (int m = 0; m < M; m++) {
            int32_t s = 0;
            for (int t = 0; t < parts; t++) s += sums[(size_t)t * 2 * M + m];
            proto.sums[m] = s;
        }
        free(sums);
    } else if (proto.fuse && proto.sums) {   /* no memory for per-thread sums: add up the codes */
        for (int m = 0; m < M; m++) {
            int32_t s = 0;
            for (int n = 0; n < N; n++) s += proto.q[(size_t)m * proto.ldq + n];
            proto.sums[m] = s;
        }
    }
}

void cint8_gemm_u7s8_parallel(int M, int N, int K, const uint8_t *A, int lda, const int8_t *packed,
                              int32_t *C, int ldc, int threads) {
    if (M <= 0 || N <= 0) return;
    gemm_job j = {0};
    j.v = cint8_best_variant(); j.M = M; j.N = N; j.K = K; j.A = A; j.lda = lda; j.P = packed; j.C = C; j.ldc = ldc;
    run_split(j, threads);
}

void cint8_gemm_requantize_u7(cint8_variant v, int M, int N, int K, const uint8_t *A, int lda, const int8_t *packed,
                              int32_t *C, int ldc, const int32_t *row_sum, cint8_epilogue e, int relu,
                              float inv_scale, int32_t zero, uint8_t *q, int ldq, int32_t *q_row_sum, int threads) {
    if (M <= 0) return;
    if (!cint8_variant_available(v)) v = CINT8_SCALAR;
    if (N > 0) {
        gemm_job j = {0};
        j.v = v; j.M = M; j.N = N; j.K = K; j.A = A; j.lda = lda; j.P = packed; j.C = C; j.ldc = ldc;
        j.fuse = 1; j.row_sum = row_sum; j.e = e; j.relu = relu; j.inv_scale = inv_scale; j.zero = zero;
        j.q = q; j.ldq = ldq; j.sums = q_row_sum;
        run_split(j, threads);
    } else if (q_row_sum) {
        for (int m = 0; m < M; m++) q_row_sum[m] = 0;
    }
    int n0 = N > 0 ? N : 0;
    for (int m = 0; m < M; m++)
        for (int p = n0; p < ldq; p++) q[(size_t)m * ldq + p] = 0;
}

void cint8_dequantize(cint8_variant v, int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                      cint8_epilogue e, int relu, float *y, int ldy) {
    if (simd(v)) cint8_dequantize_avx2(M, N, C, ldc, row_sum, e, relu, y, ldy);
    else cint8_dequantize_scalar(M, N, C, ldc, row_sum, e, relu, y, ldy);
}

void cint8_requantize_u7(cint8_variant v, int M, int N, const int32_t *C, int ldc, const int32_t *row_sum,
                         cint8_epilogue e, int relu, float inv_scale, int32_t zero, uint8_t *q, int ldq,
                         int32_t *q_row_sum) {
    if (simd(v)) cint8_requantize_avx2(M, N, C, ldc, row_sum, e, relu, inv_scale, zero, q, ldq, q_row_sum, 1);
    else cint8_requantize_scalar(M, N, C, ldc, row_sum, e, relu, inv_scale, zero, q, ldq, q_row_sum, 1);
}

void cint8_quantize_u7(cint8_variant v, int M, int K, const float *x, int ldx, float inv_scale, int32_t zero,
                       uint8_t *q, int ldq, int32_t *row_sum) {
    if (simd(v)) cint8_quantize_avx2(M, K, x, ldx, inv_scale, zero, q, ldq, row_sum);
    else cint8_quantize_scalar(M, K, x, ldx, inv_scale, zero, q, ldq, row_sum);
}
