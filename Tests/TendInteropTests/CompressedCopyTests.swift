import Foundation
import Testing
import TendCore
@testable import TendInterop

/// What `w` on `tend inspect` writes: the copy re-opens with the reader and holds the expected zeros / codes.
@Suite struct CompressedCopyTests {
    func source(_ dir: TempDir) throws -> (SafetensorsFile, [Float], [Float]) {
        var rng = SeededGenerator(seed: 11)
        let w = (0..<(48 * 37)).map { _ in rng.nextGaussian() * 0.05 }
        let h = (0..<100).map { _ in Float(Float16(rng.nextGaussian() * 0.05)) }
        try SafetensorsWriter.write(entries: [
            SafetensorsEntry(name: "fc.weight", dtype: .f32, shape: [48, 37], bytes: InspectTensorStatsTests.bytes(w, as: .f32)),
            SafetensorsEntry(name: "fc.bias", dtype: .f16, shape: [100], bytes: InspectTensorStatsTests.bytes(h, as: .f16)),
            SafetensorsEntry(name: "step", dtype: .i32, shape: [1], bytes: InspectTensorStatsTests.bytes([7], as: .i32)),
        ], metadata: ["arch": "test"], to: dir.file("m.safetensors"))
        return (try SafetensorsFile(path: dir.file("m.safetensors")), w, h)
    }

    @Test func prunedCopyReopensWithTheExpectedSparsity() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (f, w, h) = try source(dir)
        let tau: Float = 0.03
        let s = try CompressedCopy.write(f, threshold: tau, quantizeInt8: false, to: dir.file("m.pruned.safetensors"))
        let out = try SafetensorsFile(path: dir.file("m.pruned.safetensors"))
        #expect(out.names == f.names && out.metadata["arch"] == "test" && out.metadata["tend.pruned_below"] == "0.03")
        #expect(try out.floatTensor("fc.weight").storage == w.map { abs($0) < tau ? 0 : $0 })
        #expect(try out.floatTensor("fc.bias").storage == h.map { abs($0) < tau ? 0 : $0 })
        #expect(try out.bytes("step") == f.bytes("step"))
        #expect(s.zeroed == (w + h).filter { abs($0) < tau && $0 != 0 }.count)
        // The scan of the copy sees exactly the weights below τ as zeros (what the e2e checks with --json).
        let stats = try TensorStatsScanner(threshold: tau).scan(out)
        #expect(stats[0].zeros == w.filter { abs($0) < tau }.count)
        #expect(stats[0].sparsity == Double(w.filter { abs($0) < tau }.count) / Double(w.count))
    }

    @Test func int8CopyStoresPerChannelCodesAndScales() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (f, w, h) = try source(dir)
        _ = try CompressedCopy.write(f, threshold: nil, quantizeInt8: true, to: dir.file("m.int8.safetensors"))
        let out = try SafetensorsFile(path: dir.file("m.int8.safetensors"))
        #expect(try out.info("fc.weight").dtype == .i8 && out.info("fc.weight.scale").shape == [48])
        #expect(try out.floatTensor("fc.bias").storage == h)   // rank 1 stays as it was
        let codes = try out.floatTensor("fc.weight").storage, scales = try out.floatTensor("fc.weight.scale").storage
        for r in 0..<48 {
            let row = w[(r * 37)..<((r + 1) * 37)]
            let m = row.map(abs).max()!
            #expect(scales[r] == m / 127)
            for (k, x) in row.enumerated() {
                #expect(codes[r * 37 + k] == (x / (m / 127)).rounded(.toNearestOrEven))
                #expect(abs(codes[r * 37 + k] * scales[r] - x) <= scales[r] / 2 * 1.0001)
            }
        }
    }
}
