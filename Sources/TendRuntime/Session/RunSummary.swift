import Foundation
import TendEngine
import TendInterop

/// The final record of a run (`summary.json` and `--json` output).
public struct RunSummary: Encodable {
    public struct Metrics: Encodable {
        public var accuracy: Double, f1_macro: Double, precision_macro: Double, recall_macro: Double, loss: Double, rows: Int
        public var confusion: [[Int]]
        public init(_ e: Evaluation) {
            accuracy = e.report.accuracy; f1_macro = e.report.macroF1; precision_macro = e.report.macroPrecision
            recall_macro = e.report.macroRecall; loss = e.loss; rows = e.report.count; confusion = e.report.confusion
        }
    }
    public var run: String
    public var outcome: String
    public var epochs: Int
    public var steps: Int
    public var seconds: Double
    public var parameters: Int
    public var architecture: [Int]
    /// Rows per second over the optimizer steps (validation and checkpoints excluded).
    public var samples_per_second: Double
    public var best_val_loss: Double?
    public var test: Metrics?
    public var checkpoint: String
    /// Alerts raised during the run (active and resolved), `severity id: message`.
    public var alerts: [String] = []
    /// The alert that stopped the run under --fail-on.
    public var failed_alert: String?

    public init(trainer: Trainer, outcome: TrainOutcome, test: Evaluation?, runDirectory: String, seconds: Double) {
        run = runDirectory
        switch outcome {
        case .finished: self.outcome = "finished"
        case .earlyStopped(let e): self.outcome = "early_stopped_after_epoch_\(e + 1)"
        case .stopped: self.outcome = "stopped"
        }
        epochs = trainer.epoch
        steps = trainer.step
        self.seconds = seconds
        parameters = trainer.model.parameterCount
        samples_per_second = trainer.stepSeconds > 0 ? Double(trainer.samplesTrained) / trainer.stepSeconds : 0
        architecture = trainer.config.architecture.widths
        best_val_loss = trainer.bestValLoss.isFinite ? Double(trainer.bestValLoss) : nil
        self.test = test.map(Metrics.init)
        checkpoint = (runDirectory as NSString).appendingPathComponent("checkpoints/last.safetensors")
    }

    public func write(to path: String) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(Array(try enc.encode(self)), to: path)
    }
}
