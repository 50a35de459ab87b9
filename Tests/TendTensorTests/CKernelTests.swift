import Foundation
import Testing
@testable import TendTensor

/// The AVX2 kernels against the portable reference (bit for bit) and against independent
/// arithmetic written here, on lengths that exercise the 8-lane bodies and the scalar tails.
@Suite struct CKernelTests {
    static let lengths = [1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 257, 1003]

    /// Random values with a few zeros, negative zeros, and exact ties.
    static func data(_ n: Int, seed: UInt64) -> Tensor {
        var rng = LCG(seed)
        var t = rng.tensor([n])
        for i in stride(from: 0, to: n, by: 11) { t.storage[i] = 0 }
        for i in stride(from: 5, to: n, by: 13) { t.storage[i] = -0.0 }
        return t
    }

    static func bits(_ t: Tensor) -> [UInt32] { t.storage.map(\.bitPattern) }

    @Test func avx2IsTheBestVariantOnThisMachine() {
        // The bench machine has AVX2; elsewhere the scalar variant is the honest answer.
        #expect(KernelVariant.best == (KernelVariant.avx2.isAvailable ? .avx2 : .scalar))
        #expect(KernelVariant.scalar.isAvailable)
    }

    @Test(arguments: [false, true])
    func adamVariantsAgreeBitForBit(masked: Bool) {
        for (k, n) in Self.lengths.enumerated() {
            let g = Self.data(n, seed: UInt64(k) + 1), w0 = Self.data(n, seed: UInt64(k) + 100)
            let mask: Tensor? = masked ? Tensor(shape: [n], storage: (0..<n).map { $0 % 3 == 1 ? 0 : 1 }) : nil
            func run(_ variant: KernelVariant) -> [UInt32] {
                var w = w0, m = Tensor(shape: [n]), v = Tensor(shape: [n])
                for t in 1...4 {
                    adamUpdate(&w, grad: g, m: &m, v: &v, mask: mask, learningRate: 0.01, beta1: 0.9, beta2: 0.999,
                               epsilon: 1e-8, step: t, l2Coefficient: 0.02, decoupledDecay: 0.1, variant: variant)
                }
                return Self.bits(w) + Self.bits(m) + Self.bits(v)
            }
            #expect(run(.scalar) == run(.avx2), "n = \(n)")
        }
    }

    @Test func adamMatchesADoubleReference() {
        let n = 37
        let g = Self.data(n, seed: 5), w0 = Self.data(n, seed: 6)
        let lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8, l2 = 0.02, wd = 0.1
        var w = w0, m = Tensor(shape: [n]), v = Tensor(shape: [n])
        var rw = w0.storage.map(Double.init), rm = [Double](repeating: 0, count: n), rv = rm
        for t in 1...3 {
            adamUpdate(&w, grad: g, m: &m, v: &v, mask: nil, learningRate: Float(lr), beta1: Float(b1), beta2: Float(b2),
                       epsilon: Float(eps), step: t, l2Coefficient: Float(l2), decoupledDecay: Float(wd))
            for i in 0..<n {
                let ge = Double(g.storage[i]) + l2 * rw[i]
                rm[i] = b1 * rm[i] + (1 - b1) * ge
                rv[i] = b2 * rv[i] + (1 - b2) * ge * ge
                let mh = rm[i] / (1 - pow(b1, Double(t))), vh = rv[i] / (1 - pow(b2, Double(t)))
                rw[i] = rw[i] * (1 - lr * wd) - lr * mh / (vh.squareRoot() + eps)
            }
        }
        for i in 0..<n { #expect(abs(Double(w.storage[i]) - rw[i]) < 1e-6, "entry \(i)") }
    }

    @Test func reluVariantsAgreeWithTheDefinition() {
        for (k, n) in Self.lengths.enumerated() {
            var x = Self.data(n, seed: UInt64(k) + 7)
            if n > 2 { x.storage[1] = .nan; x.storage[2] = -.infinity }
            let gradOut = Self.data(n, seed: UInt64(k) + 70)
            var ys: [Tensor] = [], gs: [Tensor] = []
            for variant in KernelVariant.allCases {
                var y = Tensor.empty, gi = Tensor.empty
                reluForward(x, into: &y, variant: variant)
                reluBackward(gradOutput: gradOut, output: y, into: &gi, variant: variant)
                ys.append(y); gs.append(gi)
            }
            let expectedY = x.storage.map { $0 > 0 ? $0 : Float(0) }
            #expect(ys.allSatisfy { Self.bits($0) == expectedY.map(\.bitPattern) }, "n = \(n)")
            let expectedG = (0..<n).map { expectedY[$0] > 0 ? gradOut.storage[$0] : 0 }
            #expect(gs.allSatisfy { Self.bits($0) == expectedG.map(\.bitPattern) }, "n = \(n)")
        }
    }

    @Test(arguments: [Float(0), 1, 0.5])
    func columnSumsAddRowsInOrderInEveryVariant(beta: Float) {
        for rows in [1, 2, 5, 64] {
            for cols in [1, 7, 8, 9, 31, 33, 70, 130] {
                var rng = LCG(UInt64(rows * 1000 + cols))
                let m = rng.tensor([rows, cols])
                let start = rng.tensor([cols])
                var expected = start.storage.map { beta == 0 ? 0 : (beta == 1 ? $0 : $0 * beta) }
                for r in 0..<rows { for j in 0..<cols { expected[j] += m.storage[r * cols + j] } }
                for variant in KernelVariant.allCases {
                    var out = start
                    columnSums(m, into: &out, beta: beta, variant: variant)
                    #expect(Self.bits(out) == expected.map(\.bitPattern), "\(variant) \(rows)×\(cols)")
                }
            }
        }
    }

    @Test func multiplyVariantsAgreeWithTheDefinition() {
        for (k, n) in Self.lengths.enumerated() {
            let a = Self.data(n, seed: UInt64(k) + 20), b = Self.data(n, seed: UInt64(k) + 30)
            let expected = zip(a.storage, b.storage).map { ($0 * $1).bitPattern }
            for variant in KernelVariant.allCases {
                var c = Tensor.empty
                multiply(a, b, into: &c, variant: variant)
                #expect(Self.bits(c) == expected, "\(variant) n = \(n)")
            }
        }
    }
}
