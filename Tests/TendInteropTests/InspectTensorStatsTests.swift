import Foundation
import Testing
import TendCore
@testable import TendInterop

@Suite struct InspectTensorStatsTests {
    static func bytes(_ values: [Float], as dtype: SafetensorsDType) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        switch dtype {
        case .f32: return values.flatMap { le($0.bitPattern) }
        case .f64: return values.flatMap { le(Double($0).bitPattern) }
        case .f16: return values.flatMap { le(Float16($0).bitPattern) }
        case .bf16: return values.flatMap { le(UInt16($0.bitPattern >> 16)) }
        case .i32: return values.flatMap { le(Int32($0)) }
        default: fatalError("test helper: \(dtype)")
        }
    }

    func file(_ tensors: [(String, SafetensorsDType, [Int], [Float])]) throws -> SafetensorsFile {
        let dir = TempDir(); defer { dir.cleanup() }
        let entries = tensors.map { SafetensorsEntry(name: $0.0, dtype: $0.1, shape: $0.2, bytes: Self.bytes($0.3, as: $0.1)) }
        try SafetensorsWriter.write(entries: entries, to: dir.file("t.safetensors"))
        return try SafetensorsFile(bytes: dir.read("t.safetensors"), name: "t.safetensors")
    }

    @Test func statisticsMatchAHandComputation() throws {
        let w: [Float] = [0.5, -0.25, 0.0005, 1, -1, 0.125, 0, 0.75, -0.5, 0.25]
        let f = try file([("fc.weight", .f32, [2, 5], w), ("count", .i32, [2], [1, 2])])
        let stats = try TensorStatsScanner(threshold: 1e-3, threads: 2).scan(f)
        #expect(stats.count == 1)
        let s = try #require(stats.first)
        let mean = w.reduce(0) { $0 + Double($1) } / 10
        let variance = w.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / 10
        #expect(abs(s.mean - mean) < 1e-7)
        #expect(abs(s.std - variance.squareRoot()) < 1e-6)
        #expect(s.min == -1 && s.max == 1)
        #expect(s.sparsity == 0.2)  // 0.0005 and 0
        #expect(s.parameters == 10)
        #expect(s.magnitudeHistogram.reduce(0, +) == 10)
        // int8 per channel: reference computation.
        func err(_ xs: [Float], levels: Float) -> Double {
            let m = xs.map(abs).max()!
            let scale = m / levels
            return xs.reduce(0) { e, x in
                let q = min(max((x / scale).rounded(.toNearestOrEven), -levels), levels) * scale
                return e + Double((x - q) * (x - q))
            }
        }
        let signal = w.reduce(0) { $0 + Double($1) * Double($1) }
        let e8 = err(Array(w[0..<5]), levels: 127) + err(Array(w[5..<10]), levels: 127)
        #expect(abs(s.int8SQNR - 10 * log10(signal / e8)) < 1e-3)
        let e4 = err(Array(w[0..<5]), levels: 7) + err(Array(w[5..<10]), levels: 7)
        #expect(abs(s.int4SQNR - 10 * log10(signal / e4)) < 1e-3)
        #expect(s.int4SQNR < s.int8SQNR)
    }

    @Test func halfBFloatAndDoubleScanLikeTheirFloatValues() throws {
        var rng = SeededGenerator(seed: 9)
        let values = (0..<(64 * 33)).map { _ in Float(Float16(rng.nextGaussian() * 0.1)) }
        let f = try file([("a", .f32, [64, 33], values), ("b", .f16, [64, 33], values), ("c", .f64, [64, 33], values),
                          ("d", .bf16, [64, 33], values.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) })])
        let s = try TensorStatsScanner(threshold: 0.01).scan(f)
        #expect(s.map(\.name) == ["a", "b", "c", "d"])
        #expect(s[3].int8SQNR > 30)
        for t in s[1...2] {
            #expect(abs(t.mean - s[0].mean) < 1e-9)
            #expect(abs(t.int8SQNR - s[0].int8SQNR) < 1e-6)
            #expect(t.sparsity == s[0].sparsity)
            #expect(t.magnitudeHistogram == s[0].magnitudeHistogram)
        }
        // Gaussian weights: int8 per-channel ≈ 40 dB, int4 per-group ≈ 20 dB.
        #expect(s[0].int8SQNR > 30 && s[0].int8SQNR < 50)
        #expect(s[0].int4SQNR > 12 && s[0].int4SQNR < 26)
    }
}

@Suite struct InspectImportedWeightsTests {
    /// Weights trained elsewhere arrive as F16, BF16 or F64; every one must load as the same Float values
    /// (what `tend eval --weights` relies on), and extra tensors must stay listed for the "ignored" report.
    @Test func importedWeightsConvertEveryFloatDType() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let w: [Float] = [0.5, -0.25, 1.5, -2, 0.125, 0.75]  // exact in F16, BF16 and F64
        for dtype in [SafetensorsDType.f16, .bf16, .f64] {
            let path = dir.file("w-\(dtype.rawValue).safetensors")
            try SafetensorsWriter.write(entries: [
                SafetensorsEntry(name: "fc1.weight", dtype: dtype, shape: [2, 3], bytes: InspectTensorStatsTests.bytes(w, as: dtype)),
                SafetensorsEntry(name: "fc1.bias", dtype: dtype, shape: [2], bytes: InspectTensorStatsTests.bytes([1, -1], as: dtype)),
                SafetensorsEntry(name: "bn.running_mean", dtype: dtype, shape: [2], bytes: InspectTensorStatsTests.bytes([0, 0], as: dtype)),
            ], to: path)
            let f = try SafetensorsFile(path: path)
            #expect(try f.floatTensor("fc1.weight").storage == w)
            #expect(try f.floatTensor("fc1.bias").storage == [1, -1])
            #expect(f.names.filter { !["fc1.weight", "fc1.bias"].contains($0) } == ["bn.running_mean"])
            let stats = try TensorStatsScanner().scan(f)
            #expect(stats.map(\.name) == ["fc1.weight", "fc1.bias", "bn.running_mean"])
            #expect(stats[0].min == -2 && stats[0].max == 1.5)
        }
    }
}
