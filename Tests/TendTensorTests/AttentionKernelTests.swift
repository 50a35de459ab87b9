import Foundation
import Testing
@testable import TendTensor

@Suite struct AttentionKernelTests {
    /// softmax(scale · Q Kᵀ) V in Double, the definition; Q, K, V are `qkv`'s three blocks of `d` columns plus `bias` [3d].
    func naiveAttention(n: Int, d: Int, qkv: [Float], ld: Int, bias: [Float], scale: Float) -> [Double] {
        func at(_ r: Int, _ c: Int) -> Double { Double(qkv[r * ld + c]) + Double(bias[c]) }
        var out = [Double](repeating: 0, count: n * d)
        for i in 0..<n {
            var s = (0..<n).map { j in (0..<d).reduce(0.0) { $0 + at(i, $1) * at(j, d + $1) } * Double(scale) }
            let mx = s.max()!
            s = s.map { Foundation.exp($0 - mx) }
            let sum = s.reduce(0, +)
            for j in 0..<n { for t in 0..<d { out[i * d + t] += s[j] / sum * at(j, 2 * d + t) } }
        }
        return out
    }

    @Test func fusedAttentionMatchesTheDefinitionForEveryVariantAndOddSize() {
        var g = SystemRandomNumberGenerator()
        let missing = KernelVariant.allCases.filter { !$0.isAvailable }
        if !missing.isEmpty { print("AttentionKernelTests: variants this CPU cannot run (not tested): \(missing)") }
        // Head sizes: multiples of 8 (the AVX2 kernel's 16- and 8-column steps) and one that falls back to scalar.
        for (n, d) in [(1, 8), (1, 32), (5, 16), (6, 24), (7, 32), (13, 8), (16, 16), (22, 32), (37, 40), (9, 5)] {
            let ld = 3 * d + 3   // q | k | v of one head inside a wider row, as in the fused projection
            // Scores spread over several units, so the softmax is neither flat nor one-hot.
            let qkv = (0..<(n * ld)).map { _ in Float.random(in: -1.5...1.5, using: &g) }
            let scale = 1 / Float(d).squareRoot()
            let someBias = (0..<(3 * d)).map { _ in Float.random(in: -0.5...0.5, using: &g) }
            for (variant, bias) in KernelVariant.allCases.filter(\.isAvailable).flatMap({ v in [(v, someBias), (v, [Float]?.none)] }) {
                let ref = naiveAttention(n: n, d: d, qkv: qkv, ld: ld, bias: bias ?? [Float](repeating: 0, count: 3 * d), scale: scale)
                let ran = attentionVariantRun(variant, headSize: d)
                let ldo = d + 2
                var out = [Float](repeating: .nan, count: n * ldo)   // columns past d stay untouched
                var scratch = [Float](repeating: .nan, count: attentionScratchCount(tokens: n, headSize: d))
                (bias ?? []).withUnsafeBufferPointer { pb in
                    let biases = bias == nil ? nil : (q: UnsafePointer(pb.baseAddress!), k: pb.baseAddress! + d, v: pb.baseAddress! + 2 * d)
                    qkv.withUnsafeBufferPointer { p in
                        let q = p.baseAddress!
                        out.withUnsafeMutableBufferPointer { po in
                            scratch.withUnsafeMutableBufferPointer { ps in
                                attentionHead(tokens: n, headSize: d, q: q, k: q + d, v: q + 2 * d, ld: ld, biases: biases, scale: scale,
                                              into: po.baseAddress!, ldo: ldo, scratch: ps.baseAddress!, variant: variant)
                            }
                        }
                    }
                }
                for i in 0..<n {
                    for t in 0..<d {
                        #expect(abs(Double(out[i * ldo + t]) - ref[i * d + t]) < 2e-6, "\(variant) (ran \(ran)) n=\(n) d=\(d) bias \(bias != nil) at (\(i), \(t))")
                    }
                    for t in d..<ldo { #expect(out[i * ldo + t].isNaN) }
                }
            }
        }
    }

    @Test func fusedAttentionRunsTheAVX2KernelOnlyWhereItCan() {
        #expect(attentionVariantRun(.scalar, headSize: 32) == .scalar)
        #expect(attentionVariantRun(.avx2, headSize: 5) == .scalar)
        if KernelVariant.avx2.isAvailable { #expect(attentionVariantRun(.avx2, headSize: 32) == .avx2 || !KernelVariant.avx2.isAvailable) }
    }
}
