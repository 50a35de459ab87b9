/* Peak multiply-accumulate probes: tight register-only loops of the instruction sequences the kernels
 * are built from, timed on the calling thread's CPU clock (so a busy machine's time-slicing does not
 * count). They tell what int8/fp32 ratio this CPU can reach at best; no memory traffic is involved. */
#include "internal.h"
#include <time.h>

static double thread_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#if defined(__x86_64__)
#include <immintrin.h>

/* 8 independent chains of vpmaddubsw -> vpmaddwd(ones) -> vpaddd: 8 x 32 u8*s8 MACs per iteration.
 * Written in assembly because the compiler would fold the (identical) products of the 8 chains. */
__attribute__((target("avx2"), noinline)) static void avx2_u8s8_loop(long n) {
    __asm__ volatile(
        "vpcmpeqw %%ymm15, %%ymm15, %%ymm15\n\t"
        "vpsrlw $15, %%ymm15, %%ymm15\n\t"
        "vmovdqa %%ymm15, %%ymm13\n\t"
        "vmovdqa %%ymm15, %%ymm14\n\t"
        "vpxor %%ymm0, %%ymm0, %%ymm0\n\t vpxor %%ymm1, %%ymm1, %%ymm1\n\t"
        "vpxor %%ymm2, %%ymm2, %%ymm2\n\t vpxor %%ymm3, %%ymm3, %%ymm3\n\t"
        "vpxor %%ymm4, %%ymm4, %%ymm4\n\t vpxor %%ymm5, %%ymm5, %%ymm5\n\t"
        "vpxor %%ymm6, %%ymm6, %%ymm6\n\t vpxor %%ymm7, %%ymm7, %%ymm7\n\t"
        "1:\n\t"
#define CINT8_CHAIN(c, t) "vpmaddubsw %%ymm14, %%ymm13, " t "\n\t vpmaddwd %%ymm15, " t ", " t "\n\t vpaddd " t ", " c ", " c "\n\t"
        CINT8_CHAIN("%%ymm0", "%%ymm8") CINT8_CHAIN("%%ymm1", "%%ymm9") CINT8_CHAIN("%%ymm2", "%%ymm10") CINT8_CHAIN("%%ymm3", "%%ymm11")
        CINT8_CHAIN("%%ymm4", "%%ymm8") CINT8_CHAIN("%%ymm5", "%%ymm9") CINT8_CHAIN("%%ymm6", "%%ymm10") CINT8_CHAIN("%%ymm7", "%%ymm11")
#undef CINT8_CHAIN
        "dec %0\n\t"
        "jnz 1b\n\t"
        "vzeroupper\n\t"
        : "+r"(n) :
        : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
          "xmm13", "xmm14", "xmm15");
}

#if defined(__clang__) && __clang_major__ >= 12
/* 10 independent vpdpbusd chains (AVX-VNNI): 10 x 32 MACs per iteration. */
__attribute__((target("avx2,avxvnni"), noinline)) static int32_t vnni_u8s8_loop(long n) {
    __m256i a = _mm256_set1_epi8(3), b = _mm256_set1_epi8(-5);
    __m256i c[10];
    for (int i = 0; i < 10; i++) c[i] = _mm256_set1_epi32(i);
    for (long i = 0; i < n; i++) {
        for (int j = 0; j < 10; j++) c[j] = _mm256_dpbusd_avx_epi32(c[j], a, b);
        __asm__ volatile("" : "+x"(a), "+x"(b));
    }
    __m256i s = c[0];
    for (int i = 1; i < 10; i++) s = _mm256_add_epi32(s, c[i]);
    return _mm256_extract_epi32(s, 0);
}
#endif

/* 10 independent vfmadd231ps chains: 10 x 8 fp32 MACs per iteration (2 FMA pipes x 4-5 cycle latency). */
__attribute__((target("avx2,fma"), noinline)) static float fma_loop(long n) {
    __m256 a = _mm256_set1_ps(0.999f), b = _mm256_set1_ps(1e-3f);
    __m256 c[10];
    for (int i = 0; i < 10; i++) c[i] = _mm256_set1_ps((float)i);
    for (long i = 0; i < n; i++) {
        for (int j = 0; j < 10; j++) c[j] = _mm256_fmadd_ps(a, b, c[j]);
        __asm__ volatile("" : "+x"(a), "+x"(b));
    }
    __m256 s = c[0];
    for (int i = 1; i < 10; i++) s = _mm256_add_ps(s, c[i]);
    return _mm256_cvtss_f32(s);
}
#endif

/* Hides a float's value from the optimizer (so a*b is not hoisted out of the loop). */
#if defined(__x86_64__) || defined(__i386__)
#define CINT8_OPAQUE_FLOAT(x) __asm__ volatile("" : "+x"(x))
#elif defined(__aarch64__)
#define CINT8_OPAQUE_FLOAT(x) __asm__ volatile("" : "+w"(x))
#else
#define CINT8_OPAQUE_FLOAT(x) ((void)0)
#endif

/* Portable loops (no SIMD): 4 independent int32 / float multiply-add chains. */
__attribute__((noinline)) static int32_t scalar_int_loop(long n, int32_t seed) {
    int32_t c0 = seed, c1 = seed + 1, c2 = seed + 2, c3 = seed + 3, a = seed | 1, b = 3;
    for (long i = 0; i < n; i++) {
        c0 += a * b; c1 += a * b; c2 += a * b; c3 += a * b;
        __asm__ volatile("" : "+r"(a), "+r"(b));
    }
    return c0 ^ c1 ^ c2 ^ c3;
}

__attribute__((noinline)) static float scalar_float_loop(long n, float seed) {
    float c0 = seed, c1 = seed + 1, c2 = seed + 2, c3 = seed + 3, a = 0.999f, b = 1e-3f;
    for (long i = 0; i < n; i++) {
        c0 += a * b; c1 += a * b; c2 += a * b; c3 += a * b;
        CINT8_OPAQUE_FLOAT(a); CINT8_OPAQUE_FLOAT(b);
    }
    return c0 + c1 + c2 + c3;
}

static volatile int32_t sink_i;
static volatile float sink_f;

/* MACs per iteration of probe `kind` with `variant`, and one run of n iterations. */
static double run_probe(int kind, cint8_variant v, long n) {
#if defined(__x86_64__)
    if (kind == 0) {
#if defined(__clang__) && __clang_major__ >= 12
        if (v == CINT8_AVXVNNI) { sink_i = vnni_u8s8_loop(n); return 320.0; }
#endif
        if (v == CINT8_AVX2 || v == CINT8_AVXVNNI) { avx2_u8s8_loop(n); return 256.0; }
    } else if (v != CINT8_SCALAR && __builtin_cpu_supports("fma")) {
        sink_f = fma_loop(n);
        return 80.0;
    }
#endif
    if (kind == 0) { sink_i = scalar_int_loop(n, (int32_t)n); return 4.0; }
    sink_f = scalar_float_loop(n, (float)n);
    return 4.0;
}

static double probe(int kind, cint8_variant v, double seconds) {
    if (!cint8_variant_available(v)) v = CINT8_SCALAR;
    long n = 1000;
    double best = 0, spent = 0;
    while (spent < seconds) {
        double t0 = thread_seconds();
        double macs = run_probe(kind, v, n);
        double dt = thread_seconds() - t0;
        spent += dt;
        if (dt < 2e-3) { n *= 4; continue; }   /* grow the run until the clock's resolution is negligible */
        double rate = macs * (double)n / dt;
        if (rate > best) best = rate;
    }
    if (best == 0) { double t0 = thread_seconds(); double macs = run_probe(kind, v, n); best = macs * (double)n / (thread_seconds() - t0 + 1e-9); }
    return best;
}

double cint8_peak_int8_macs(cint8_variant v, double seconds) { return probe(0, v, seconds); }
double cint8_peak_fp32_macs(cint8_variant v, double seconds) { return probe(1, v, seconds); }
