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

    @Test func threadsCanBeSet() {
        BLAS.setThreads(1)
        #expect(BLAS.threads == 1)
        BLAS.setThreads(2)
        #expect(BLAS.threads >= 1)
    }
}
