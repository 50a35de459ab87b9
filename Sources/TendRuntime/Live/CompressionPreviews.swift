import Foundation
import TendEngine
import TendMetrics
import TendTensor

/// A copy of the live model published by the trainer (`ModelSnapshotSlot`); read-only once published.
public struct ModelSnapshot: @unchecked Sendable {
    public let model: any Model
    public let step: Int
    /// Increases with every publish.
    public var version: UInt64 = 0
}

/// One what-if pruning job: the candidate, a fresh snapshot when the live weights changed, whether to sweep.
public struct PruningJob: Sendable {
    public var request: PruningRequest
    public var snapshot: ModelSnapshot?
    public var validation: Dataset
    public var sweep: Bool

    /// Keeps an older job's snapshot and sweep request when a newer one replaces it.
    public static func merge(_ old: PruningJob, _ new: PruningJob) -> PruningJob {
        var j = new
        if j.snapshot == nil { j.snapshot = old.snapshot }
        j.sweep = j.sweep || old.sweep
        return j
    }
}

/// Computes what-if pruning previews on the worker thread: keeps the `PruningWhatIf` of the newest snapshot,
/// its |w| histogram and sorted magnitudes (for the cut in sparsity mode) and the last sweep, and publishes a
/// `PruningPreview` per job. Worker thread only.
public final class PruningPreviewer {
    private let publish: (PruningPreview) -> Void
    private var whatIf: PruningWhatIf?
    private var step = 0
    private var histogram: [PruningPreview.Bucket] = []
    private var magnitudes: [Float] = []
    private var sweep: [PruningPreview.SweepPoint]?
    public static let buckets = 48

    public init(publish: @escaping (PruningPreview) -> Void) { self.publish = publish }

    public func run(_ job: PruningJob) {
        let start = DispatchTime.now().uptimeNanoseconds
        if let snap = job.snapshot { load(snap, validation: job.validation) }
        guard let whatIf else { return }
        let r = job.request
        let scope: PruningScope = r.global ? .global : .layer
        let spec: PruningSpec = r.mode == .threshold ? .threshold(Float(max(0, r.value)), scope: scope)
            : .sparsity(min(1, max(0, r.value)), scope: scope)
        if job.sweep {
            sweep = whatIf.sweep(PruningWhatIf.sparsitySteps(), scope: scope)
                .map { PruningPreview.SweepPoint(sparsity: $0.summary.sparsity, accuracy: $0.accuracy) }
        }
        let out = whatIf.evaluate(spec)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        publish(Self.preview(out, baseline: whatIf.baseline, request: r, cut: cut(r), histogram: histogram, sweep: sweep,
                             step: step, milliseconds: ms))
    }

    /// Takes a private copy of the published snapshot (forward passes reuse the model's buffers).
    private func load(_ snap: ModelSnapshot, validation: Dataset) {
        let model = snap.model.copy()
        whatIf = PruningWhatIf(model: model, validation: validation)
        step = snap.step
        sweep = nil
        var mags: [Float] = []
        for p in model.parameters where p.isDecayed {
            p.value.withUnsafeBufferPointer { b in for v in b { mags.append(abs(v)) } }
        }
        mags.sort()
        magnitudes = mags
        let top = Double(mags.last ?? 0)
        guard top > 0 else { histogram = []; return }
        let width = top / Double(Self.buckets)
        var counts = [Double](repeating: 0, count: Self.buckets)
        for m in mags { counts[min(Self.buckets - 1, Int(Double(m) / width))] += 1 }
        histogram = counts.enumerated().map { i, c in
            PruningPreview.Bucket(lower: Double(i) * width, upper: Double(i + 1) * width, count: c)
        }
    }

    /// τ in threshold mode; in global sparsity mode the largest |w| pruned; nil per layer (no single cut).
    private func cut(_ r: PruningRequest) -> Double? {
        if r.mode == .threshold { return r.value }
        guard r.global, !magnitudes.isEmpty else { return nil }
        let k = Int((r.value * Double(magnitudes.count)).rounded(.down))
        return k > 0 ? Double(magnitudes[min(k, magnitudes.count) - 1]) : 0
    }

    public static func preview(_ out: PruningOutcome, baseline: PruningOutcome, request: PruningRequest, cut: Double?,
                        histogram: [PruningPreview.Bucket], sweep: [PruningPreview.SweepPoint]?, step: Int,
                        milliseconds: Double) -> PruningPreview {
        let s = out.summary
        let rows = s.parameters.filter(\.eligible).map {
            PruningPreview.Row(name: $0.name, sparsity: $0.sparsity, kept: $0.kept, count: $0.count,
                               denseBytes: $0.denseBytes, storedBytes: $0.storedBytes)
        }
        return PruningPreview(request: request, sparsity: s.sparsity, cut: cut, rows: rows, accuracy: out.accuracy,
                              loss: out.loss, baselineAccuracy: baseline.accuracy, baselineLoss: baseline.loss,
                              denseBytes: s.denseBytes, storedBytes: s.storedBytes,
                              baselineStoredBytes: baseline.summary.storedBytes, parametersKept: s.parametersKept,
                              parameterCount: s.parameterCount, histogram: histogram, sweep: sweep, snapshotStep: step,
                              computeMilliseconds: milliseconds)
    }
}

/// One quantization preview job: a model snapshot (always fresh: building the int8 model dominates anyway).
public struct QuantizationJob: Sendable {
    public var config: QuantizationConfig
    public var snapshot: ModelSnapshot
    public var validation: Dataset
    public var serving: String
}

/// Builds the int8 model for a scheme and publishes a `QuantizationPreview` (worker thread).
public enum QuantizationPreviewer {
    public static func run(_ job: QuantizationJob) -> QuantizationPreview {
        let start = DispatchTime.now().uptimeNanoseconds
        let data = job.validation
        let calibration = data.rows(0..<min(512, data.count))
        let model = job.snapshot.model.copy()   // a private copy: forward passes reuse the model's buffers
        let q = QuantizedModel(model: model, calibration: calibration.features, config: job.config)
        let report = QuantizationReport.build(model: model, quantized: q, calibration: calibration.features,
                                              validation: data)
        func figures(_ e: QuantizationError) -> QuantizationErrorFigures {
            QuantizationErrorFigures(mse: e.mse, sqnrDB: e.sqnrDB, cosine: e.cosine, maxAbsError: e.maxAbsError,
                                     clippedFraction: e.clippedFraction)
        }
        func e2e(_ e: EndToEnd?) -> QuantizationPreview.EndToEnd? { e.map { .init(accuracy: $0.accuracy, loss: $0.loss) } }
        let layers = report.layers.map {
            QuantizationPreview.Layer(name: $0.name, shape: $0.shape, precision: $0.precision, weight: figures($0.weight),
                                      activation: $0.activation.map(figures), int4Weight: figures($0.int4Weight))
        }
        return QuantizationPreview(perChannel: job.config.perChannel, symmetric: job.config.symmetric,
                                   calibration: job.config.calibration.rawValue, keepFP32: job.config.keepFP32,
                                   kernel: report.kernel, layers: layers, fp32: e2e(report.fp32), int8: e2e(report.int8),
                                   int4: e2e(report.int4WhatIf), agreement: report.argmaxAgreement,
                                   fp32Bytes: report.fp32Bytes, int8Bytes: report.int8Bytes,
                                   validationRows: report.validationRows, serving: job.serving,
                                   computeMilliseconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
}
