import TendCore
import TendMetrics

/// The distillation screen's settings and what it knows of the running distillation. `studentReady` and
/// `servingStudent` mirror the newest published `DistillationProgress` (the executable copies them in with
/// `sync(from:)`), so the keymap lists `enter` / `u` only when they do something.
public struct DistillationScreenState: Sendable, Equatable {
    /// Settings sent with `d` (the student's hidden widths are the teacher's halved).
    public var temperature = 4.0
    public var alpha = 0.7
    public var epochs = 20
    /// A student with at least one finished epoch exists.
    public var studentReady = false
    /// The inference loop serves the student.
    public var servingStudent = false
    /// The distillation ended (finished or stopped), so `r` can start a fresh one.
    public var ended = false

    public init() {}

    var startCommand: EngineCommand { .startDistillation(temperature: temperature, alpha: alpha, epochs: epochs, fresh: false) }
    var restartCommand: EngineCommand { .startDistillation(temperature: temperature, alpha: alpha, epochs: epochs, fresh: true) }

    /// Copies readiness and serving from `progress`.
    public mutating func sync(from progress: DistillationProgress?) {
        guard let progress else { return }
        studentReady = progress.studentReady
        servingStudent = progress.serving == "student"
        ended = progress.phase != .training
    }
}
