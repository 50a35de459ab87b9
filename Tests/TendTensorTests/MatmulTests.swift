import CBLAS
import Testing
@testable import TendTensor

@Suite struct MatmulTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesNaiveForEveryTransposeCombination(_ ta: Bool, _ tb: Bool) {
        var rng = LCG(7)
        let (m, k, n) = (13, 9, 11)
        let a = rng.tensor(ta ? [k, m] : [m, k])
        let b = rng.tensor(tb ? [n, k] : [k, n])
        let got = matmul(a, b, transposeA: ta, transposeB: tb)
        let want = naiveMatmul(a, b, transposeA: ta, transposeB: tb)
        #expect(got.shape == Shape([m, n]))
        #expect(got.maxAbsDifference(want) < 1e-5)
    }

    @Test func gemmAccumulatesWithAlphaAndBeta() {
        var rng = LCG(3)
        let a = rng.tensor([5, 4]), b = rng.tensor([4, 6])
        let c0 = rng.tensor([5, 6])
        var c = c0
        gemm(a, b, into: &c, alpha: 2, beta: 0.5)
        let ab = naiveMatmul(a, b)
        var worst: Float = 0
        for i in 0..<5 { for j in 0..<6 { worst = max(worst, abs(c[i, j] - (2 * ab[i, j] + 0.5 * c0[i, j]))) } }
        #expect(worst < 1e-5)
    }

    @Test func gemmWithZeroBetaIgnoresGarbageInOutput() {
        let a = Tensor(rows: [[1, 2], [3, 4]]), b = Tensor(rows: [[5, 6], [7, 8]])
        var c = Tensor(shape: [2, 2], repeating: .nan)
        gemm(a, b, into: &c)
        #expect(c == Tensor(rows: [[19, 22], [43, 50]]))
    }

    /// `gemm` zeroes `c` itself and asks OpenBLAS for `beta = 1`; the result must equal OpenBLAS's
    /// own `beta = 0` path bit for bit, also when it blocks K and when it splits over threads.
    @Test(arguments: [(13, 9, 11, 1), (64, 64, 128, 1), (70, 700, 33, 1), (300, 520, 301, 2)])
    func zeroBetaMatchesOpenBLASBitForBit(_ m: Int, _ k: Int, _ n: Int, _ threads: Int) {
        BLAS.setThreads(threads)
        defer { BLAS.setThreads(2) }
        var rng = LCG(UInt64(m * k + n))
        let a = rng.tensor([m, k]), b = rng.tensor([n, k])
        var mine = Tensor(shape: [m, n], repeating: .nan)
        gemm(a, b, into: &mine, transposeB: true, alpha: 1.5)
        var theirs = Tensor(shape: [m, n], repeating: .nan)
        BLAS.prepare(macs: m * n * k)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                theirs.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasint(m), blasint(n), blasint(k),
                                1.5, pa.baseAddress, blasint(k), pb.baseAddress, blasint(k), 0, pc.baseAddress, blasint(n))
                }
            }
        }
        #expect(mine.storage.map(\.bitPattern) == theirs.storage.map(\.bitPattern))
    }

    @Test func threadsCanBeSet() {
        BLAS.setThreads(1)
        #expect(BLAS.threads == 1)
        BLAS.setThreads(2)
        #expect(BLAS.threads >= 1)
    }
}
