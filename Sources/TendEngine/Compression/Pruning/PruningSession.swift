import TendTensor

/// Commits pruning candidates to a live model and undoes them. Owns the undo history: each commit
/// saves every parameter's value and mask first, and `undo` restores the newest saved state exactly
/// (including any training done since that commit being discarded). Not thread-safe: use it on the
/// thread that owns the model.
public final class PruningSession {
    public let model: any Model
    /// Saved states, oldest first, at most `maxHistory`.
    public private(set) var history: [[(value: Tensor, mask: Tensor?)]] = []
    public let maxHistory: Int

    public init(model: any Model, maxHistory: Int = 8) {
        self.model = model
        self.maxHistory = max(1, maxHistory)
    }

    public var canUndo: Bool { !history.isEmpty }

    /// Saves the current state, then prunes the model to `spec`; returns the resulting summary.
    @discardableResult
    public func commit(_ spec: PruningSpec) -> PruningSummary {
        commit(MagnitudePruner.masks(for: model, spec: spec))
    }

    /// Saves the current state, then applies precomputed masks (e.g. from `PruningWhatIf.masks(for:)`
    /// on an identical snapshot).
    @discardableResult
    public func commit(_ masks: PruningMasks) -> PruningSummary {
        history.append(model.parameters.map { ($0.value, $0.mask) })
        if history.count > maxHistory { history.removeFirst() }
        MagnitudePruner.apply(masks, to: model)
        return PruningSummary(model: model, spec: masks.spec)
    }

    /// Restores values and masks saved by the newest commit; false when there is nothing to undo.
    @discardableResult
    public func undo() -> Bool {
        guard let saved = history.popLast() else { return false }
        for (p, s) in zip(model.parameters, saved) {
            p.mask = nil
            p.value = s.value
            p.mask = s.mask
        }
        return true
    }
}
