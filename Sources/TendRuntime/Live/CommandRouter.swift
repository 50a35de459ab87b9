import TendCore

/// Where a live run's command goes, decided by its kind alone (no fall-through): the trainer's own control
/// (queue, obeyed between steps), read-only previews (answered at once from the published model snapshot on a
/// preview worker, never waiting for a training step), or a change of the live model or of what is served
/// (run on the training thread between steps, by its owner). Pause, resume, stop, checkpoint, stop early
/// and raise L2 are the trainer's.
public enum CommandRoute: Equatable, Sendable {
    case trainer
    case preview(PreviewCommand)
    case model(ModelCommandOwner)

    public enum PreviewCommand: Equatable, Sendable { case pruning, quantization }

    /// Who changes the model or the served copy for a `.model` command.
    public enum ModelCommandOwner: Equatable, Sendable {
        /// Fine-tune and rollback: the run itself.
        case run
        /// Commit (with or without fine-tuning) and undo of pruning.
        case pruning
        /// int8 serving (`.quantize`, `.serveQuantized`, `.serveFP32`).
        case quantization
        /// The distilled student (start, serve student, serve teacher).
        case distillation
    }

    public static func of(_ c: EngineCommand) -> CommandRoute {
        switch c {
        case .pause, .resume, .stop, .checkpoint, .stopEarly, .raiseL2: return .trainer
        case .previewPrune, .sweepPrune: return .preview(.pruning)
        case .previewQuantize: return .preview(.quantization)
        case .fineTune, .rollback: return .model(.run)
        case .prune, .undo, .pruneAndFineTune: return .model(.pruning)
        case .quantize, .serveQuantized, .serveFP32: return .model(.quantization)
        case .startDistillation, .serveStudent, .serveTeacher: return .model(.distillation)
        }
    }
}
