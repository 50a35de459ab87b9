import CBLAS
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// `c = alpha · op(a) · op(b) + beta · c` through `cblas_sgemm`, where `op` transposes when asked.
/// `op(a)` is [M, K], `op(b)` is [K, N] and `c` must already be [M, N] (use `Tensor.ensureShape`).
/// With `beta == 0` the previous contents of `c` are ignored (NaNs included): `c` is zeroed with
/// `memset` and OpenBLAS is called with `beta = 1`, which gives the same bits (OpenBLAS would
/// otherwise zero `c` itself with a scalar loop, 8% of a digits training step).
public func gemm(_ a: Tensor, _ b: Tensor, into c: inout Tensor,
                 transposeA: Bool = false, transposeB: Bool = false,
                 alpha: Float = 1, beta: Float = 0) {
    precondition(a.rank == 2 && b.rank == 2 && c.rank == 2, "gemm: operands must be rank 2 (a \(a.shape), b \(b.shape), c \(c.shape))")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(k == kb, "gemm: inner dimensions differ: op(a) is [\(m), \(k)], op(b) is [\(kb), \(n)]")
    precondition(c.shape[0] == m && c.shape[1] == n, "gemm: output is \(c.shape), expected [\(m), \(n)]")
    if m == 0 || n == 0 { return }
    if k == 0 {
        if beta == 0 { c.fill(0) } else if beta != 1 { scale(&c, by: beta) }
        return
    }
    a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                gemm(m: m, n: n, k: k, pa.baseAddress!, lda: a.shape[1], transposeA: transposeA,
                     pb.baseAddress!, ldb: b.shape[1], transposeB: transposeB,
                     pc.baseAddress!, ldc: n, alpha: alpha, beta: beta)
            }
        }
    }
}

/// `c = alpha · op(a) · op(b) + beta · c` on raw row-major buffers with leading dimensions
/// (`op(a)` [m, k], `op(b)` [k, n], `c` [m, n]). Products of at most `skinnyRowLimit` rows (and not
/// transposed `a`) run as matrix-vector products (`BLAS.skinnyRowLimit`). With `beta == 0`, `c` is ignored (see `gemm`).
/// `singleThreaded` keeps OpenBLAS on one thread whatever the size: for calls issued from several threads at
/// once (after `BLAS.useSingleThread()`), where switching OpenBLAS to its pool would make them wait on each other.
public func gemm(m: Int, n: Int, k: Int,
                 _ a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
                 _ b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
                 _ c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0,
                 singleThreaded: Bool = false) {
    if m == 0 || n == 0 { return }
    var beta = beta
    if k == 0 {
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
        return
    }
    if singleThreaded { BLAS.useSingleThread() } else { BLAS.prepare(macs: m * n * k) }
    if m <= BLAS.skinnyRowLimit && !transposeA {
        // y_i = op(b)ᵀ a_i: b [n, k] (transposed) is a no-trans gemv of n×k; b [k, n] is a trans gemv.
        for i in 0..<m {
            if beta == 0 { memset(c + i * ldc, 0, n * MemoryLayout<Float>.stride) }
            cblas_sgemv(CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans,
                        blasint(transposeB ? n : k), blasint(transposeB ? k : n),
                        alpha, b, blasint(ldb), a + i * lda, 1, beta, c + i * ldc, 1)
        }
        return
    }
    if beta == 0 {
        if ldc == n { memset(c, 0, m * n * MemoryLayout<Float>.stride) }
        else { for i in 0..<m { memset(c + i * ldc, 0, n * MemoryLayout<Float>.stride) } }
        beta = 1
    }
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k),
                alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// `op(a) · op(b)` as a new tensor (allocates; use `gemm(_:_:into:...)` in hot paths).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let m = transposeA ? a.shape[1] : a.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    var c = Tensor(shape: Shape([m, n]))
    gemm(a, b, into: &c, transposeA: transposeA, transposeB: transposeB)
    return c
}

/// Reference triple loop (Double accumulation) for tests; same contract as `matmul`.
public func naiveMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kb = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(k == kb, "naiveMatmul: inner dimensions differ (\(k) vs \(kb))")
    var c = Tensor(shape: Shape([m, n]))
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let av = transposeA ? a[p, i] : a[i, p]
                let bv = transposeB ? b[j, p] : b[p, j]
                s += Double(av) * Double(bv)
            }
            c[i, j] = Float(s)
        }
    }
    return c
}
