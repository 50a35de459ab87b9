#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

/// A small generated weight file as the inspect screen sees it: the header's tensors and, once "scanned",
/// statistics computed here directly from the generated values.
enum InspectFixture {
    struct Tensor { var name: String; var dtype: String; var shape: [Int]; var values: [Float]?; var elementBytes: Int }

    static func gaussian(_ n: Int, sigma: Double, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in rng.nextGaussian() * Float(sigma) }
    }

    static let tensors: [Tensor] = [
        Tensor(name: "embed.weight", dtype: "F32", shape: [64, 32], values: gaussian(64 * 32, sigma: 0.02, seed: 1), elementBytes: 4),
        Tensor(name: "layers.0.attn.weight", dtype: "F16", shape: [32, 32],
               values: gaussian(32 * 32, sigma: 0.05, seed: 2).map { Float(Float16($0)) }, elementBytes: 2),
        Tensor(name: "layers.0.attn.bias", dtype: "F32", shape: [32], values: gaussian(32, sigma: 0.001, seed: 3), elementBytes: 4),
        Tensor(name: "layers.0.mlp.weight", dtype: "BF16", shape: [128, 32],
               values: gaussian(128 * 32, sigma: 0.1, seed: 4).map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) }, elementBytes: 2),
        Tensor(name: "position_ids", dtype: "I64", shape: [64], values: nil, elementBytes: 8),
    ]

    static func qerr(_ xs: ArraySlice<Float>, levels: Float) -> Double {
        let m = xs.map(abs).max() ?? 0
        guard m > 0 else { return 0 }
        return xs.reduce(0) { e, x in
            let d = x - min(max(x * (levels / m), -levels), levels).rounded(.toNearestOrEven) * (m / levels)
            return e + Double(d * d)
        }
    }

    static func stats(_ t: Tensor) -> InspectTensorStats? {
        guard let v = t.values else { return nil }
        let n = Double(v.count)
        let mean = v.reduce(0) { $0 + Double($1) } / n
        let sq = v.reduce(0) { $0 + Double($1) * Double($1) }
        var fine = [Int](repeating: 0, count: InspectMagnitude.bins)
        for x in v { fine[Int((x.bitPattern & 0x7FFF_FFFF) >> 20)] += 1 }
        let rows = t.shape.count >= 2 ? t.shape[0] : 1, len = v.count / rows
        var e8 = 0.0, e4 = 0.0
        for r in 0..<rows {
            let row = v[(r * len)..<((r + 1) * len)]
            e8 += qerr(row, levels: 127)
            for g in stride(from: row.startIndex, to: row.endIndex, by: 32) { e4 += qerr(v[g..<min(row.endIndex, g + 32)], levels: 7) }
        }
        return InspectTensorStats(mean: mean, std: max(0, sq / n - mean * mean).squareRoot(), min: Double(v.min()!), max: Double(v.max()!),
                                  absMax: Double(v.map(abs).max()!), sumSquares: sq, zeros: v.filter { $0 == 0 }.count, nonFinite: 0,
                                  int8SQNR: 10 * log10(sq / e8), int4SQNR: 10 * log10(sq / e4), fine: fine)
    }

    static func snapshot(scannedTensors: Int) -> InspectSnapshot {
        var floatBytes = 0, scannedBytes = 0, seen = 0
        let tensors = tensors.map { t -> InspectTensor in
            let n = t.shape.reduce(1, *)
            var out = InspectTensor(name: t.name, dtype: t.dtype, shape: t.shape, parameters: n, elementBytes: t.elementBytes,
                                    isFloat: t.values != nil)
            if t.values != nil {
                floatBytes += n * t.elementBytes
                if seen < scannedTensors { out.stats = stats(t); scannedBytes += n * t.elementBytes }
                seen += 1
            }
            return out
        }
        let done = seen <= scannedTensors
        return InspectSnapshot(path: "runs/demo/model.safetensors", fileBytes: 17_224, headerMilliseconds: 0.12, tensors: tensors,
                               scan: InspectScanProgress(scannedBytes: scannedBytes, totalBytes: floatBytes, seconds: 0.004, done: done),
                               events: done ? ["scan complete"] : [])
    }
}

@Suite struct InspectScreenTests {
    func render(_ w: Int, _ h: Int, _ snap: InspectSnapshot, _ state: InspectState, glyphs: Glyphs = .unicode) -> String {
        var buffer = CellBuffer(width: w, height: h)
        InspectView.render(snap, state: state, into: &buffer, rect: Rect(x: 0, y: 0, width: w, height: h), theme: .default, glyphs: glyphs)
        return buffer.lines.joined(separator: "\n") + "\n"
    }
    let snapshots = ScreenSnapshotTests()

    @Test func beforeScan80x24() {
        snapshots.assertSnapshot(render(80, 24, InspectFixture.snapshot(scannedTensors: 0), InspectState()), named: "inspect-before-scan-80x24")
    }
    @Test func midScan120x40() {
        snapshots.assertSnapshot(render(120, 40, InspectFixture.snapshot(scannedTensors: 2), InspectState()), named: "inspect-mid-scan-120x40")
    }
    @Test func afterScan80x24() {
        snapshots.assertSnapshot(render(80, 24, InspectFixture.snapshot(scannedTensors: 4), InspectState()), named: "inspect-after-scan-80x24")
    }
    @Test func afterScan120x40() {
        snapshots.assertSnapshot(render(120, 40, InspectFixture.snapshot(scannedTensors: 4), InspectState()), named: "inspect-after-scan-120x40")
    }
    @Test func whatIfMoved120x40() {
        var s = InspectState()
        for key in [Key.char("L"), .char("L"), .char("l"), .char("i"), .char("4"), .down, .down, .down] {
            s = updateInspect(s, key, rowCount: 5).0
        }
        snapshots.assertSnapshot(render(120, 40, InspectFixture.snapshot(scannedTensors: 4), s), named: "inspect-what-if-120x40")
    }
    @Test func targetSparsityAndFilter80x24() {
        var s = InspectState()
        for key in [Key.char("m"), .char("/"), .char("w"), .char("e"), .char("i"), .enter] { s = updateInspect(s, key, rowCount: 5).0 }
        snapshots.assertSnapshot(render(80, 24, InspectFixture.snapshot(scannedTensors: 4), s, glyphs: .ascii), named: "inspect-target-filter-ascii-80x24")
    }
    @Test func helpListsTheKeys80x24() {
        let s = updateInspect(InspectState(), .char("?"), rowCount: 5).0
        snapshots.assertSnapshot(render(80, 24, InspectFixture.snapshot(scannedTensors: 4), s), named: "inspect-help-80x24")
    }

    @Test func sparsityAtTheCutIsTheExactCountBelowTau() {
        let snap = InspectFixture.snapshot(scannedTensors: 4)
        var s = InspectState(threshold: 0.01)
        for _ in 0..<5 {
            let vm = InspectViewModel.make(snap, s)
            let tau = Float(vm.cut)
            for row in vm.rows where row.tensor.isFloat {
                let values = InspectFixture.tensors[row.index].values!
                #expect(row.pruned == values.filter { abs($0) < tau }.count, "\(row.tensor.name) at τ \(tau)")
            }
            let all = InspectFixture.tensors.compactMap(\.values).joined()
            #expect(vm.whatIf.pruned == all.filter { abs($0) < tau }.count)
            s = updateInspect(s, .char("l"), rowCount: 5).0
        }
    }

    @Test func targetSparsityPicksTheLowestCutReachingIt() {
        let snap = InspectFixture.snapshot(scannedTensors: 4)
        var s = InspectState()
        s.mode = .sparsity
        let all = InspectFixture.tensors.compactMap(\.values).joined().map { abs($0) }
        for target in [0.1, 0.5, 0.9] {
            s.targetSparsity = target
            let vm = InspectViewModel.make(snap, s)
            #expect(vm.whatIf.sparsity >= target)
            let lower = Float(InspectMagnitude.edge(vm.cutBin - 1))
            #expect(Double(all.filter { $0 < lower }.count) / Double(all.count) < target)
        }
    }

    @Test func writeRequestNamesWhatItApplies() {
        let snap = InspectFixture.snapshot(scannedTensors: 4)
        var s = InspectState()
        #expect(InspectViewModel.make(snap, s).writeRequest?.outputPath == "runs/demo/model.pruned.safetensors")
        s = updateInspect(s, .char("i"), rowCount: 5).0
        let r = InspectViewModel.make(snap, s).writeRequest
        #expect(r?.outputPath == "runs/demo/model.pruned.int8.safetensors" && r?.quantizeInt8 == true && r?.threshold == s.threshold)
        s = updateInspect(s, .char("p"), rowCount: 5).0
        #expect(InspectViewModel.make(snap, s).writeRequest == InspectWriteRequest(threshold: nil, quantizeInt8: true, outputPath: "runs/demo/model.int8.safetensors"))
        s = updateInspect(s, .char("i"), rowCount: 5).0
        #expect(InspectViewModel.make(snap, s).writeRequest == nil)
        #expect(updateInspect(s, .char("w"), rowCount: 5).1 == [.write])
    }

    /// Every key the help lists does something; keys it does not list do nothing.
    @Test func helpListsExactlyTheWorkingKeys() {
        let snap = InspectFixture.snapshot(scannedTensors: 4)
        var base = InspectState()
        base.selected = 1
        base.filter = "e"
        let rows = InspectViewModel.make(snap, base).rows.count
        let bound = InspectKeymap.bindings(base).flatMap(\.keys)
        for key in bound {
            let (next, actions) = updateInspect(base, key, rowCount: rows)
            #expect(next != base || !actions.isEmpty, "\(key) is listed but does nothing")
        }
        for key in [Key.char("x"), .char("z"), .tab, .char("1"), .function(2)] where !bound.contains(key) {
            let (next, actions) = updateInspect(base, key, rowCount: rows)
            #expect(next == base && actions.isEmpty, "\(key) is not listed but acts")
        }
    }
}
