import TendTensor

/// `C = op(A)·op(B)` (+ `beta`·C) as `gemm`, with the columns of C split into one contiguous block per Tend
/// worker thread, each a single-threaded sgemm, when the product is big enough (inference and training alike:
/// one set of threads for products and row passes, not OpenBLAS's pool spinning beside Tend's workers).
func splitGemm(m: Int, n: Int, k: Int, _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
               _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
               _ c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float = 0) {
    let threads = Parallel.threads
    guard threads > 1, m * n * k >= linearParallelMACs, n >= 32 * threads else {
        gemm(m: m, n: n, k: k, a, lda: lda, transposeA: transposeA, b, ldb: ldb, transposeB: transposeB,
             c, ldc: ldc, beta: beta, singleThreaded: true)
        return
    }
    BLAS.useSingleThread()
    let groups = (n + 15) / 16
    Parallel.forParts(threads) { part in
        let lo = min(n, groups * part / threads * 16), hi = min(n, groups * (part + 1) / threads * 16)
        guard lo < hi else { return }
        let bPart = transposeB ? b + lo * ldb : b + lo
        gemm(m: m, n: hi - lo, k: k, a, lda: lda, transposeA: transposeA, bPart, ldb: ldb, transposeB: transposeB,
             c + lo, ldc: ldc, beta: beta, singleThreaded: true)
    }
}
