import Testing
import TendCore
import TendTensor
@testable import TendEngine

@Suite struct QuantSchemeTests {
    @Test func symmetricPerTensorMatchesHandComputedCodes() {
        // max|w| = 2 → s = 2/127; w/s = −63.5 → −64 (half to even), 0.5·63.5 = 31.75 → 32, 1·63.5 = 63.5 → 64.
        let w = Tensor(rows: [[-1, 0.5], [1, 2]])
        let q = QuantizedWeights.quantize(w, perChannel: false, symmetric: true)
        #expect(q.scales == [Float(2) / 127, Float(2) / 127])
        #expect(q.zeroPoints == [0, 0])
        #expect(q.codes == [-64, 32, 64, 127])
        let s: Float = 2 / 127
        let expected: [Float] = [-64 * s, 32 * s, 64 * s, 127 * s]
        #expect(q.dequantized().storage == expected)
    }

    @Test func symmetricPerChannelHasOneScalePerRow() {
        let w = Tensor(rows: [[-1, 0.25], [0.5, -0.125]])
        let q = QuantizedWeights.quantize(w, perChannel: true, symmetric: true)
        #expect(q.scales == [Float(1) / 127, Float(0.5) / 127])
        // 0.25·127 = 31.75 → 32; −0.125/(0.5/127) = −31.75 → −32.
        #expect(q.codes == [-127, 32, 127, -32])
    }

    @Test func affinePerTensorMatchesHandComputedScaleAndZeroPoint() {
        // Range [−1, 3]: s = 4/255; z = round(−128 + 1/s) = round(−128 + 63.75) = −64.
        let w = Tensor(rows: [[-1, 0, 3]])
        let q = QuantizedWeights.quantize(w, perChannel: false, symmetric: false)
        #expect(q.scales == [Float(4) / 255])
        #expect(q.zeroPoints == [-64])
        // −1/s = −63.75 → −64 + z = −128; 0 → −64; 3/s = 191.25 → 191 − 64 = 127.
        #expect(q.codes == [-128, -64, 127])
    }

    @Test func affinePerChannelWidensEachRangeToContainZero() {
        // Row 0 is all positive: range widened to [0, 2.55] → s = 0.01, z = −128.
        let w = Tensor(rows: [[1, 2.55], [-0.51, 0]])
        let q = QuantizedWeights.quantize(w, perChannel: true, symmetric: false)
        #expect(abs(q.scales[0] - 0.01) < 1e-9)
        #expect(q.zeroPoints[0] == -128)
        #expect(q.codes[0] == -28 && q.codes[1] == 127)   // 1/0.01 = 100 → −28; 255 → 127
        // Row 1: range [−0.51, 0] → s = 0.002, z = round(−128 + 255) = 127; −0.51 → −255 + 127 = −128.
        #expect(q.zeroPoints[1] == 127)
        #expect(q.codes[2] == -128 && q.codes[3] == 127)
    }

    @Test func activationCodesAreSevenBitWithExactZero() {
        let relu = ActivationQuantization(lo: 0, hi: 12.7)
        #expect(relu.zeroPoint == 0 && abs(relu.scale - 0.1) < 1e-7)
        #expect(relu.code(0.25) == 2)    // 2.5 → 2 (half to even)
        #expect(relu.code(0.35) == 4)    // 3.5 → 4
        #expect(relu.code(100) == 127 && relu.code(-1) == 0)
        let signed = ActivationQuantization(lo: -1.27, hi: 0.27)
        // s = 1.54/127, z = round(1.27/s) = round(104.73) = 105.
        #expect(signed.zeroPoint == 105)
        #expect(signed.fakeQuantize(0) == 0)
    }

    @Test func sqnrOfAHandCaseIsTwentyLogOfTheNormRatio() {
        // ‖w‖ = 5 (3, 4); ŵ = (3, 3.5): ‖w − ŵ‖ = 0.5 → SQNR = 20·log10(10) = 20 dB.
        let e = QuantizationError.measure(original: [3, 4], reconstructed: [3, 3.5], clipped: 1)
        #expect(abs(e.sqnrDB - 20) < 1e-9)
        #expect(abs(e.mse - 0.125) < 1e-12)
        #expect(abs(e.maxAbsError - 0.5) < 1e-12)
        let cosine: Double = 23 / (5 * (21.25 as Double).squareRoot())
        #expect(abs(e.cosine - cosine) < 1e-12)
        #expect(e.clippedFraction == 0.5)
        #expect(QuantizationError.measure(original: [1, 2], reconstructed: [1, 2]).sqnrDB == .infinity)
    }

    @Test func minMaxCalibrationOfAUniformSampleIsItsRange() {
        var rng = SeededGenerator(seed: 1)
        let v = (0..<10_000).map { _ in Float(rng.next() % 1_000_001) / 1_000_000 }
        let r = ActivationCalibrator.range(of: v, method: .minMax)
        #expect(r.lo == v.min()! && r.hi == v.max()!)
    }

    @Test func percentileCalibrationClipsRareOutliers() {
        var rng = SeededGenerator(seed: 2)
        var v = (0..<20_000).map { _ in rng.nextGaussian() }
        v[100] = 1000; v[200] = -1000
        let r = ActivationCalibrator.range(of: v, method: .percentile, percentile: 99.9)
        // Standard normal 99.9th percentile ≈ 3.09.
        #expect(r.hi > 2.7 && r.hi < 3.5, "hi \(r.hi)")
        #expect(r.lo < -2.7 && r.lo > -3.5, "lo \(r.lo)")
    }

    @Test func mseCalibrationShrinksTheRangeOfAHeavyTailedSampleAndLowersItsError() {
        var rng = SeededGenerator(seed: 4)
        // Laplace(0, 1) ≥ 0 (ReLU-like): most mass near 0, long tail.
        let v = (0..<50_000).map { _ -> Float in
            let u = max(Float(rng.next() % 1_000_000 + 1) / 1_000_001, 1e-6)
            return -log(u)
        }
        let mm = ActivationCalibrator.range(of: v, method: .minMax)
        let ms = ActivationCalibrator.range(of: v, method: .mse)
        #expect(ms.hi < mm.hi)
        func mse(_ r: (lo: Float, hi: Float)) -> Double {
            let q = ActivationQuantization(lo: r.lo, hi: r.hi)
            return v.reduce(0) { $0 + Double(($1 - q.fakeQuantize($1)) * ($1 - q.fakeQuantize($1))) }
        }
        #expect(mse(ms) < mse(mm))
    }

    @Test func int4WhatIfUsesOneScalePerGroup() {
        // Group of 2: max 7 → s = 1; 3.5 → 4 (half to even); group 2: max 0.7 → s = 0.1; −0.35 → −4·0.1.
        let w = Tensor(rows: [[7, 3.5, 0.7, -0.35]])
        let f = Int4WhatIf.fakeQuantize(w, groupSize: 2)
        #expect(f.storage[0] == 7 && f.storage[1] == 4)
        #expect(abs(f.storage[2] - 0.7) < 1e-6 && abs(f.storage[3] + 0.4) < 1e-6)
    }
}

import Foundation
