/// What the UI (or a signal handler) asks of the engine. Drained by the trainer between steps.
public enum EngineCommand: Sendable, Equatable {
    case pause
    case resume
    /// Stop after the current step; `checkpoint` writes one first.
    case stop(checkpoint: Bool)
    /// Write a checkpoint now.
    case checkpoint
    /// Continue training from the current weights on another data file.
    case fineTune(dataPath: String?, epochs: Int, learningRate: Double)
    /// Magnitude-prune weights below `threshold` (|w| < τ → 0) or to a target sparsity in 0...1.
    case prune(threshold: Double?, sparsity: Double?)
    case quantize(bits: Int, perChannel: Bool, symmetric: Bool)
    /// Restore the newest checkpoint written while no critical alert was active.
    case rollback
    case undo
}

/// Run states shown in the status line.
public enum RunState: String, Sendable, Codable {
    case starting, training, paused, finished, stopped, error
}
