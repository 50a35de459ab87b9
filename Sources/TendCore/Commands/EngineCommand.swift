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
    /// What-if pruning (never changes the model): publish the figures of a candidate τ (threshold) or target
    /// sparsity in 0...1, ranked over all weight matrices (`global`) or per layer. Only the newest request counts.
    case previewPrune(threshold: Double?, sparsity: Double?, global: Bool)
    /// What-if pruning: validation accuracy at target sparsities 0, 5, …, 95 %.
    case sweepPrune(global: Bool)
    /// Prune the live model to a candidate, then fine-tune `epochs` epochs with the masks fixed (0: no fine-tune).
    case pruneAndFineTune(threshold: Double?, sparsity: Double?, global: Bool, epochs: Int)
    /// What-if int8 quantization: per-layer error and end-to-end figures for a scheme; `calibration` is
    /// "minmax", "percentile" or "mse"; `keepFP32` names layers left in fp32.
    case previewQuantize(perChannel: Bool, symmetric: Bool, calibration: String, keepFP32: [String])
    /// Serve an int8 model built with that scheme instead of fp32.
    case serveQuantized(perChannel: Bool, symmetric: Bool, calibration: String, keepFP32: [String])
    /// Serve the fp32 model again.
    case serveFP32
    /// Distil a student (hidden widths halved) from a copy of the current model in the background: `epochs` epochs
    /// with temperature T and weight `alpha` of the teacher term. Without `fresh` an existing distillation (running or
    /// done) is kept; with it a finished or stopped one is replaced. Ignored while one is running.
    case startDistillation(temperature: Double, alpha: Double, epochs: Int, fresh: Bool)
    /// Serve the newest distilled student instead of the teacher (follows the student as it trains).
    case serveStudent
    /// Serve the teacher (the live model) again after `serveStudent`.
    case serveTeacher
    /// Stop training now and load the weights of the best end-of-epoch validation loss seen in this
    /// session (early stopping by hand); the run ends as early-stopped.
    case stopEarly
    /// Multiply the L2 coefficient (AdamW: the decoupled weight decay) by `factor`, to at least `atLeast`,
    /// from the next step on, and continue training (resumes a paused run).
    case raiseL2(factor: Double, atLeast: Double)
}

/// Run states shown in the status line.
public enum RunState: String, Sendable, Codable {
    case starting, training, paused, finished, stopped, error
}
