import Foundation
import Testing
@testable import TendTensor

@Suite struct TransformerKernelTests {
    @Test func erfMatchesLibmWithin4e7() {
        var worst: Double = 0
        var x: Float = -6
        while x <= 6 {
            worst = max(worst, abs(Double(FastMath.erf(x)) - Foundation.erf(Double(x))))
            x += 0.001
        }
        #expect(worst < 4e-7, "largest |erf error| \(worst)")
        // The vector form is the same polynomial.
        let v = FastMath.erf8(SIMD8<Float>(-3, -1, -0.5, 0, 0.25, 1, 2, 5))
        for (i, x) in [Float(-3), -1, -0.5, 0, 0.25, 1, 2, 5].enumerated() { #expect(v[i] == FastMath.erf(x)) }
    }

    @Test func exactGeluActivationMatchesTheErfDefinitionForEveryVariant() {
        let missing = KernelVariant.allCases.filter { !$0.isAvailable }
        if !missing.isEmpty { print("TransformerKernelTests: variants this CPU cannot run (not tested): \(missing)") }
        // Widths: the 16- and 8-lane steps and scalar tails; values across erf's clamp at |x/√2| = 4.
        for (rows, cols) in [(1, 1), (1, 19), (3, 37), (2, 64)] {
            let input: [Float] = (0..<(rows * cols)).map { Float($0 % 23) * 0.5 - 6.5 }
            let bias: [Float] = (0..<cols).map { Float($0 % 5) * 0.125 - 0.25 }
            for variant in KernelVariant.allCases where variant.isAvailable {
                var row = input
                row.withUnsafeMutableBufferPointer { p in
                    bias.withUnsafeBufferPointer { b in
                        addBiasActivateRows(p.baseAddress!, rows: rows, cols: cols, bias: b.baseAddress!, activation: .gelu, variant: variant)
                    }
                }
                for i in 0..<(rows * cols) {
                    let v = Double(input[i] + bias[i % cols])
                    #expect(abs(Double(row[i]) - 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot()))) < 2e-6, "\(variant) [\(rows), \(cols)] at \(i)")
                }
            }
        }
    }

    @Test func scaledSoftmaxRowsSumToOneAndDropMaskedKeys() {
        var s: [Float] = (0..<30).map { Float(($0 * 7) % 11) - 5 }   // 3 rows of 10
        let mask: [Float] = [1, 1, 0, 1, 1, 1, 1, 1, 1, 0]
        s.withUnsafeMutableBufferPointer { p in
            mask.withUnsafeBufferPointer { m in scaledSoftmaxRows(p.baseAddress!, rows: 3, cols: 10, stride: 10, scale: 0.5, mask: m.baseAddress!) }
        }
        for r in 0..<3 {
            #expect(abs(s[(r * 10)..<(r * 10 + 10)].reduce(0, +) - 1) < 1e-6)
            #expect(s[r * 10 + 2] == 0 && s[r * 10 + 9] == 0)
        }
    }

    @Test func skinnyProductsMatchTheReferenceInEveryLayout() {
        var g = SystemRandomNumberGenerator()
        for rows in [1, 2, 4, 5] {
            for (tA, tB) in [(false, false), (false, true)] {
                let k = 37, n = 29
                let a = Tensor(shape: Shape([rows, k]), storage: (0..<(rows * k)).map { _ in Float.random(in: -1...1, using: &g) })
                let b = Tensor(shape: tB ? Shape([n, k]) : Shape([k, n]), storage: (0..<(n * k)).map { _ in Float.random(in: -1...1, using: &g) })
                var c = Tensor(shape: Shape([rows, n]), repeating: .nan)   // beta 0 ignores what was there
                gemm(a, b, into: &c, transposeA: tA, transposeB: tB)
                let ref = naiveMatmul(a, b, transposeA: tA, transposeB: tB)
                for i in 0..<c.count { #expect(abs(c.storage[i] - ref.storage[i]) < 1e-4) }
                var acc = ref
                gemm(a, b, into: &acc, transposeB: tB, alpha: 2, beta: 1)   // acc = ref + 2·ref
                for i in 0..<acc.count { #expect(abs(acc.storage[i] - 3 * ref.storage[i]) < 1e-4) }
            }
        }
    }

    @Test func packedProductsMatchTheReferenceForEveryVariantAndEdge() {
        var g = SystemRandomNumberGenerator()
        for (rows, n, k) in [(1, 16, 8), (5, 37, 19), (6, 32, 3), (13, 50, 33), (29, 40, 67)] {
            let x = Tensor(shape: Shape([rows, k]), storage: (0..<(rows * k)).map { _ in Float.random(in: -1...1, using: &g) })
            let w = Tensor(shape: Shape([n, k]), storage: (0..<(n * k)).map { _ in Float.random(in: -1...1, using: &g) })
            let ref = naiveMatmul(x, w, transposeB: true)
            let packed = PackedWeight(w)
            for variant in KernelVariant.allCases where variant.isAvailable {
                var c = [Float](repeating: .nan, count: rows * (n + 3))   // ldc wider than n: columns past n untouched
                x.withUnsafeBufferPointer { px in
                    c.withUnsafeMutableBufferPointer { pc in
                        // Two calls over halves of the panels, as the threads split them.
                        let half = packed.panels / 2
                        packedProduct(rows: rows, px.baseAddress!, ldx: k, packed, into: pc.baseAddress!, ldc: n + 3, panels: 0..<half, variant: variant)
                        packedProduct(rows: rows, px.baseAddress!, ldx: k, packed, into: pc.baseAddress!, ldc: n + 3, panels: half..<packed.panels, variant: variant)
                    }
                }
                for r in 0..<rows {
                    for o in 0..<n { #expect(abs(c[r * (n + 3) + o] - ref[r, o]) < 1e-5, "\(variant) [\(rows), \(n), \(k)] at (\(r), \(o))") }
                    for o in n..<(n + 3) { #expect(c[r * (n + 3) + o].isNaN) }
                }
            }
        }
    }

    @Test func bestLayerNormPassMatchesTheTwoStepDefinition() {
        let cols = 13, rows = 3
        var y: [Float] = (0..<(rows * cols)).map { Float($0 % 7) * 0.3 - 1 }
        var x: [Float] = (0..<(rows * cols)).map { Float($0 % 5) * 0.2 }
        let bias: [Float] = (0..<cols).map { Float($0) * 0.01 }
        let gamma: [Float] = (0..<cols).map { 1 + Float($0) * 0.05 }
        let beta: [Float] = (0..<cols).map { Float($0) * -0.02 }
        let sum = (0..<(rows * cols)).map { y[$0] + x[$0] + bias[$0 % cols] }
        y.withUnsafeMutableBufferPointer { py in x.withUnsafeMutableBufferPointer { px in
            addBiasResidualLayerNormRows(py.baseAddress!, bias: bias, residual: px.baseAddress!, rows: rows, cols: cols,
                                         gamma: gamma, beta: beta, epsilon: 1e-12)
        } }
        for r in 0..<rows {
            let row = sum[(r * cols)..<(r * cols + cols)].map(Double.init)
            let mean = row.reduce(0, +) / Double(cols)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(cols)
            for j in 0..<cols {
                let want = Double(gamma[j]) * (row[j] - mean) / variance.squareRoot() + Double(beta[j])
                #expect(abs(Double(x[r * cols + j]) - want) < 1e-5)
            }
        }
    }
}
