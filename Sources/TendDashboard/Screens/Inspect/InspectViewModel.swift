#if canImport(Glibc)
import TendMetrics
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TendUI

/// Plain values the `tend inspect` screen draws, derived from (snapshot, state) by `make` (pure).
/// What-if figures cover the float tensors scanned so far (`complete` once all are).
public struct InspectViewModel: Equatable {
    public struct Row: Equatable {
        /// Index into `InspectSnapshot.tensors` (header order).
        public var index: Int
        public var tensor: InspectTensor
        /// Weights under the cut (nil until scanned, and for non-float tensors).
        public var pruned: Int?
        public var sparsity: Double? { pruned.map { tensor.parameters > 0 ? Double($0) / Double(tensor.parameters) : 0 } }
    }

    /// The whole file under the candidate.
    public struct WhatIf: Equatable {
        public var floatTensors = 0, scannedTensors = 0
        public var scannedParameters = 0, pruned = 0
        public var denseBytes = 0, sparseBytes = 0, int8Bytes = 0, int4Bytes = 0
        public var signal = 0.0, int8Error = 0.0, int4Error = 0.0
        public var complete: Bool { scannedTensors == floatTensors }
        public var kept: Int { scannedParameters - pruned }
        public var sparsity: Double { scannedParameters > 0 ? Double(pruned) / Double(scannedParameters) : 0 }
        public var int8SQNR: Double { Self.decibels(signal, int8Error) }
        public var int4SQNR: Double { Self.decibels(signal, int4Error) }
        static func decibels(_ s: Double, _ e: Double) -> Double { e > 0 ? 10 * log10(s / e) : (s > 0 ? .infinity : .nan) }
    }

    public var rows: [Row]
    /// Fine bin of the cut in effect and its value τ (weights with |w| < τ are pruned).
    public var cutBin: Int
    public var cut: Double
    public var whatIf: WhatIf
    /// The file `w` would write (nil when neither pruning nor quantization is on).
    public var outputPath: String?
    public var totalParameters: Int
    public var prunes: Bool
    public var quantizes: Bool

    public static func make(_ snap: InspectSnapshot, _ state: InspectState) -> InspectViewModel {
        let bin = cutBin(snap, state)
        var rows: [Row] = []
        var w = WhatIf()
        for (i, t) in snap.tensors.enumerated() {
            var pruned: Int? = nil
            if t.isFloat {
                w.floatTensors += 1
                if let s = t.stats {
                    let p = state.prune ? s.below(bin: bin) : 0
                    pruned = p
                    w.scannedTensors += 1
                    w.scannedParameters += t.parameters
                    w.pruned += p
                    w.denseBytes += t.bytes
                    w.sparseBytes += sparseBytes(t, nonZeros: t.parameters - p)
                    w.int8Bytes += int8Bytes(t)
                    w.int4Bytes += int4Bytes(t)
                    w.signal += s.sumSquares
                    w.int8Error += error(s.sumSquares, s.int8SQNR)
                    w.int4Error += error(s.sumSquares, s.int4SQNR)
                }
            }
            let row = Row(index: i, tensor: t, pruned: pruned)
            if state.filter.isEmpty || t.name.lowercased().contains(state.filter.lowercased()) { rows.append(row) }
        }
        switch state.sort {
        case .file: break
        case .name: rows.sort { $0.tensor.name < $1.tensor.name }
        case .parameters: rows.sort { ($0.tensor.parameters, -$0.index) > ($1.tensor.parameters, -$1.index) }
        case .sparsity: rows.sort { ($0.sparsity ?? -1, -$0.index) > ($1.sparsity ?? -1, -$1.index) }
        case .sqnr:
            // Worst (lowest) SQNR first; unscanned last.
            func key(_ r: Row) -> Double { (state.showInt4 ? r.tensor.stats?.int4SQNR : r.tensor.stats?.int8SQNR) ?? .infinity }
            rows.sort { (key($0), $0.index) < (key($1), $1.index) }
        }
        return InspectViewModel(rows: rows, cutBin: bin, cut: InspectMagnitude.edge(bin), whatIf: w,
                                outputPath: outputPath(snap.path, state), totalParameters: snap.tensors.reduce(0) { $0 + $1.parameters },
                                prunes: state.prune, quantizes: state.quantize)
    }

    /// τ's bin: the state's in threshold mode; in sparsity mode the lowest edge under which at least the target
    /// fraction of the scanned float weights lies.
    static func cutBin(_ snap: InspectSnapshot, _ state: InspectState) -> Int {
        guard state.mode == .sparsity else { return state.thresholdBin }
        let stats = snap.tensors.compactMap { $0.isFloat ? $0.stats : nil }
        let total = snap.tensors.reduce(0) { $0 + ($1.isFloat && $1.stats != nil ? $1.parameters : 0) }
        guard total > 0, state.targetSparsity > 0 else { return 0 }
        let need = Int((state.targetSparsity * Double(total)).rounded(.up))
        var lo = 0, hi = InspectMagnitude.nonFiniteStart
        while lo < hi {
            let mid = (lo + hi) / 2
            if stats.reduce(0, { $0 + $1.below(bin: mid) }) >= need { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    static func error(_ signal: Double, _ sqnr: Double) -> Double {
        sqnr.isFinite ? signal / pow(10, sqnr / 10) : 0
    }

    /// Bytes of Tend's cheapest sparse layout for the tensor with `nonZeros` kept (dense, bitmap or CSR; values in
    /// the tensor's own element width).
    public static func sparseBytes(_ t: InspectTensor, nonZeros: Int) -> Int {
        let n = t.parameters, w = t.elementBytes
        let cols = t.rowLength
        let bitmap = (n + 7) / 8 + w * nonZeros
        let csr = 4 * (t.rows + 1) + (cols <= 65_536 ? 2 : 4) * nonZeros + w * nonZeros
        return min(w * n, bitmap, csr)
    }
    /// int8 codes plus one F32 scale per channel.
    public static func int8Bytes(_ t: InspectTensor) -> Int { t.parameters + 4 * t.rows }
    /// Two int4 codes per byte per channel plus one F32 scale per group of 32.
    public static func int4Bytes(_ t: InspectTensor) -> Int { t.rows * ((t.rowLength + 1) / 2 + 4 * ((t.rowLength + 31) / 32)) }

    /// `DIR/NAME.pruned.int8.safetensors` next to the input, naming what `w` applies.
    public static func outputPath(_ path: String, _ state: InspectState) -> String? {
        guard state.prune || state.quantize else { return nil }
        var stem = path
        if stem.hasSuffix(".safetensors") { stem.removeLast(".safetensors".count) }
        return stem + (state.prune ? ".pruned" : "") + (state.quantize ? ".int8" : "") + ".safetensors"
    }

    /// The request `w` sends (nil when neither pruning nor quantization is on).
    public var writeRequest: InspectWriteRequest? {
        outputPath.map { InspectWriteRequest(threshold: prunes ? cut : nil, quantizeInt8: quantizes, outputPath: $0) }
    }

    /// Per-octave buckets of the tensor's |w| (at most `maxBuckets`, smaller magnitudes folded into the first).
    public static func magnitudeBuckets(_ s: InspectTensorStats, maxBuckets: Int = 24) -> [Histogram.Bucket] {
        let finite = s.fine.prefix(InspectMagnitude.nonFiniteStart)
        guard let first = finite.firstIndex(where: { $0 > 0 }), let last = finite.lastIndex(where: { $0 > 0 }) else { return [] }
        let hiOct = last / 8
        let loOct = max(first / 8, hiOct - maxBuckets + 1)
        var out: [Histogram.Bucket] = []
        for o in loOct...hiOct {
            let from = o == loOct ? 0 : o * 8
            let count = s.cumulative[(o + 1) * 8] - s.cumulative[from]
            out.append(.init(lower: InspectMagnitude.edge(o * 8), upper: InspectMagnitude.edge((o + 1) * 8), count: Double(count)))
        }
        return out
    }
}
