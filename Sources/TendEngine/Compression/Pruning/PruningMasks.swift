import TendTensor

/// Masks chosen for a model's eligible parameters, by parameter index into `Model.parameters`.
/// Invariant: every mask has its parameter's shape and holds only 0 (pruned) or 1 (kept).
public struct PruningMasks: Sendable {
    public struct Entry: Sendable {
        public var parameterIndex: Int
        public var name: String
        public var mask: Tensor
    }
    public var entries: [Entry]
    public var spec: PruningSpec

    /// Entries zeroed by the masks.
    public var prunedCount: Int { entries.reduce(0) { $0 + countZeros($1.mask) } }
    /// Entries covered by the masks.
    public var coveredCount: Int { entries.reduce(0) { $0 + $1.mask.count } }
}

/// Unstructured magnitude pruning of any `Model`: choose masks, apply them.
public enum MagnitudePruner {
    /// Masks for `spec` computed from `model`'s current values; the model is not changed.
    /// Already-pruned weights are 0 and so rank first: increasing sparsity never revives them.
    public static func masks(for model: any Model, spec: PruningSpec) -> PruningMasks {
        precondition(spec.validationError == nil, spec.validationError ?? "")
        let eligible = model.parameters.indices.filter { spec.isEligible(model.parameters[$0]) }
        let values = eligible.map { model.parameters[$0].value }
        var masks: [Tensor]
        switch (spec.target, spec.scope) {
        case let (.threshold(t), _):
            masks = values.map { MagnitudeSelection.mask(threshold: t, of: $0) }
        case let (.sparsity(s), .global):
            masks = MagnitudeSelection.masks(sparsity: s, of: values)
        case let (.sparsity(s), .layer):
            masks = values.map { MagnitudeSelection.masks(sparsity: s, of: [$0])[0] }
        }
        let entries = zip(eligible, masks).map { i, m in
            PruningMasks.Entry(parameterIndex: i, name: model.parameters[i].name, mask: m)
        }
        return PruningMasks(entries: entries, spec: spec)
    }

    /// Sets each masked parameter's `mask` (replacing any previous one) and writes +0 to its pruned
    /// entries, so optimizers keep them at exactly 0 and sparse storage sees them as zeros.
    public static func apply(_ masks: PruningMasks, to model: any Model) {
        for e in masks.entries {
            let p = model.parameters[e.parameterIndex]
            precondition(p.name == e.name && p.value.shape == e.mask.shape,
                         "pruning masks for \(e.name) \(e.mask.shape) do not fit parameter \(p.name) \(p.value.shape)")
            p.mask = e.mask
            zeroMasked(&p.value, mask: e.mask)
        }
    }

    /// Computes and applies masks for `spec`; returns them.
    @discardableResult
    public static func prune(_ model: any Model, spec: PruningSpec) -> PruningMasks {
        let m = masks(for: model, spec: spec)
        apply(m, to: model)
        return m
    }

    /// Writes +0.0 (not −0.0, as multiplying by the mask would for negative weights) where `mask` is 0.
    public static func zeroMasked(_ value: inout Tensor, mask: Tensor) {
        precondition(value.shape == mask.shape, "zeroMasked: mask \(mask.shape) does not match \(value.shape)")
        mask.withUnsafeBufferPointer { mp in
            value.withUnsafeMutableBufferPointer { vp in
                for i in 0..<vp.count where mp[i] == 0 { vp[i] = 0 }
            }
        }
    }
}

/// Number of entries equal to 0 (either sign).
func countZeros(_ t: Tensor) -> Int {
    t.withUnsafeBufferPointer { p in
        var z = 0
        for v in p where v == 0 { z += 1 }
        return z
    }
}
