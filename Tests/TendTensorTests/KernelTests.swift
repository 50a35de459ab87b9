import Testing
import Foundation
@testable import TendTensor

@Suite struct KernelTests {
    @Test func fastExpIsAccurateAcrossTheRange() {
        var worst: Double = 0
        var x: Float = -80
        while x < 80 {
            let want = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastMath.exp(x)) - want) / want)
            x += 0.0137
        }
        #expect(worst < 3e-7)
        #expect(FastMath.exp(-1000) >= 0 && FastMath.exp(1000).isFinite)
    }

    @Test func tanhAndSigmoidMatchLibm() {
        var worst: Float = 0
        for i in -600...600 {
            let x = Float(i) * 0.02
            worst = max(worst, abs(FastMath.tanh(x) - Foundation.tanh(x)))
            worst = max(worst, abs(FastMath.sigmoid(x) - 1 / (1 + Foundation.exp(-x))))
        }
        #expect(worst < 5e-7)
    }

    @Test func softmaxRowsSumToOneAndSurviveHugeLogits() {
        let x = Tensor(rows: [[1000, 1001, 1002], [-5, 0, 5]])
        let p = softmaxRows(x)
        for r in 0..<2 { #expect(abs(p.row(r).reduce(0, +) - 1) < 1e-6) }
        #expect(abs(p[0, 2] - 0.665_240_9) < 1e-6)
        #expect(argmaxRows(x) == [2, 2])
    }

    @Test func rowAndColumnKernels() {
        var m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
        addRowVector(Tensor(shape: [3], storage: [10, 20, 30]), to: &m)
        #expect(m == Tensor(rows: [[11, 22, 33], [14, 25, 36]]))
        var s = Tensor.empty
        columnSums(m, into: &s)
        #expect(s.storage == [25, 47, 69])
        columnSums(m, into: &s, beta: 1)
        #expect(s.storage == [50, 94, 138])
        var b = Tensor(shape: [2, 3])
        broadcastRows(Tensor(shape: [3], storage: [1, 2, 3]), into: &b)
        #expect(b == Tensor(rows: [[1, 2, 3], [1, 2, 3]]))
    }

    @Test func gatherRowsPicksRowsInOrder() {
        let t = Tensor(rows: [[0, 0], [1, 1], [2, 2], [3, 3]])
        #expect(t.gatherRows([3, 0, 3]) == Tensor(rows: [[3, 3], [0, 0], [3, 3]]))
        var out = Tensor.empty
        t.gatherRows([1, 2, 3, 0][1...2], into: &out)
        #expect(out == Tensor(rows: [[2, 2], [3, 3]]))
    }

    @Test func reductionsHandleTails() {
        let t = Tensor(shape: [19], storage: (1...19).map(Float.init))
        #expect(sum(t) == 190)
        #expect(sumOfSquares(t) == Double((1...19).map { $0 * $0 }.reduce(0, +)))
        #expect(zeroCount(Tensor(shape: [3], storage: [0, 1, 0])) == 2)
    }

    @Test func elementwiseKernels() {
        let a = Tensor(rows: [[1, -2]]), b = Tensor(rows: [[3, 4]])
        #expect((a + b) == Tensor(rows: [[4, 2]]))
        #expect((a - b) == Tensor(rows: [[-2, -6]]))
        var y = b
        axpy(2, a, &y)
        #expect(y == Tensor(rows: [[5, 0]]))
        var r = Tensor.empty
        reluForward(a, into: &r)
        #expect(r == Tensor(rows: [[1, 0]]))
        var masked = b
        applyMask(&masked, mask: Tensor(rows: [[0, 1]]))
        #expect(masked == Tensor(rows: [[0, 4]]))
    }

    @Test func ensureShapeReusesStorageWhenShapeIsUnchanged() {
        var t = Tensor(shape: [4, 8])
        let before = t.withUnsafeMutableBufferPointer { $0.baseAddress }
        t.ensureShape(rows: 4, cols: 8)
        reluForward(Tensor(shape: [4, 8], repeating: 1), into: &t)
        let after = t.withUnsafeMutableBufferPointer { $0.baseAddress }
        #expect(before == after)
        t.ensureShape(rows: 2, cols: 8)
        #expect(t.shape == Shape([2, 8]))
    }
}
