import TendTensor

/// What a pruning candidate would do to a model, measured without changing it.
public struct PruningOutcome: Sendable {
    /// nil for the unpruned baseline.
    public var spec: PruningSpec?
    public var summary: PruningSummary
    /// On the validation data, with the candidate masks applied.
    public var accuracy: Double
    /// Mean softmax cross-entropy on the validation data.
    public var loss: Double
    /// Against the unpruned model: accuracy − baseline accuracy, loss − baseline loss, stored − baseline stored bytes.
    public var deltaAccuracy: Double
    public var deltaLoss: Double
    public var deltaStoredBytes: Int
}

/// Evaluates pruning candidates on a snapshot of a model: per-tensor sparsity, parameters kept,
/// dense and sparse-stored bytes, validation accuracy and loss, and deltas against the unpruned
/// model. The model given to `init` is copied and never changed. Owns a scratch copy of the model
/// (so it is a class); not thread-safe.
public final class PruningWhatIf {
    /// `validation` must already be normalised the way the model expects.
    public let validation: Dataset
    /// The unpruned snapshot's figures.
    public private(set) var baseline: PruningOutcome
    private let base: any Model
    private let scratch: any Model

    public init(model: any Model, validation: Dataset) {
        base = model.copy()
        scratch = model.copy()
        self.validation = validation
        let ev = TendEngine.evaluate(base, on: validation)
        let summary = PruningSummary(model: base)
        baseline = PruningOutcome(spec: nil, summary: summary, accuracy: ev.report.accuracy, loss: ev.loss,
                                  deltaAccuracy: 0, deltaLoss: 0, deltaStoredBytes: 0)
    }

    /// The masks `spec` would set on the snapshot.
    public func masks(for spec: PruningSpec) -> PruningMasks { MagnitudePruner.masks(for: base, spec: spec) }

    /// Applies `spec`'s masks to the scratch copy and measures it.
    public func evaluate(_ spec: PruningSpec) -> PruningOutcome {
        let m = masks(for: spec)
        var maskOf = [Int: Tensor]()
        for e in m.entries { maskOf[e.parameterIndex] = e.mask }
        for (i, (dst, src)) in zip(scratch.parameters, base.parameters).enumerated() {
            dst.value.withUnsafeMutableBufferPointer { d in
                src.value.withUnsafeBufferPointer { s in _ = d.update(fromContentsOf: s) }
            }
            if let mask = maskOf[i] { MagnitudePruner.zeroMasked(&dst.value, mask: mask) }
        }
        let ev = TendEngine.evaluate(scratch, on: validation)
        let summary = PruningSummary(model: scratch, spec: spec)
        return PruningOutcome(spec: spec, summary: summary, accuracy: ev.report.accuracy, loss: ev.loss,
                              deltaAccuracy: ev.report.accuracy - baseline.accuracy, deltaLoss: ev.loss - baseline.loss,
                              deltaStoredBytes: summary.storedBytes - baseline.summary.storedBytes)
    }

    /// Accuracy against sparsity: one outcome per target sparsity, in the given order.
    public func sweep(_ sparsities: [Double], scope: PruningScope = .global, includeBiases: Bool = false) -> [PruningOutcome] {
        sparsities.map { evaluate(.sparsity($0, scope: scope, includeBiases: includeBiases)) }
    }

    /// 0, step, 2·step, … up to and including `upTo` (default 0, 0.05, …, 0.95).
    public static func sparsitySteps(upTo last: Double = 0.95, step: Double = 0.05) -> [Double] {
        precondition(step > 0, "sweep step must be > 0")
        let n = Int((last / step + 1e-9).rounded(.down))
        return (0...max(0, n)).map { (Double($0) * step * 1e6).rounded() / 1e6 }
    }
}
