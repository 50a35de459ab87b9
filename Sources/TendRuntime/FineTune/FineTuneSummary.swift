import Foundation
import TendEngine
import TendInterop

/// Accuracy, macro P/R/F1, loss and confusion of a labelled evaluation (JSON field names as the MLP's summary).
public struct TextMetrics: Encodable, Sendable {
    public var accuracy: Double, f1_macro: Double, precision_macro: Double, recall_macro: Double, loss: Double, rows: Int
    public var confusion: [[Int]]

    public init?(_ e: TextEvaluation?) {
        guard let e, let r = e.report else { return nil }
        accuracy = r.accuracy; f1_macro = r.macroF1; precision_macro = r.macroPrecision; recall_macro = r.macroRecall
        loss = e.loss ?? .nan; rows = r.count; confusion = r.confusion
    }
}

/// The final record of a fine-tune run (`summary.json` and `tend train --model … --json`).
public struct FineTuneSummary: Encodable, Sendable {
    public var run: String
    public var model: String
    public var data: String
    public var outcome: String
    public var epochs: Int
    public var steps: Int
    public var seconds: Double
    public var parameters: Int
    public var trainable_parameters: Int
    public var class_labels: [Int]
    public var rows: [String: Int]
    public var max_length: Int
    /// Texts cut to `max_length` tokens.
    public var truncated: Int
    /// Over the optimizer steps (evaluations and checkpoints excluded).
    public var samples_per_second: Double
    public var tokens_per_second: Double
    public var threads: Int
    public var train_loss: Double
    public var validation: TextMetrics?
    public var test: TextMetrics?
    public var checkpoint: String

    init(session s: FineTuneSession, finished: Bool, trainLoss: Double, validation: TextEvaluation?, test: TextEvaluation?,
         checkpoint: String, seconds: Double, samplesPerSecond: Double, tokensPerSecond: Double) {
        run = s.runDirectory; model = s.options.model; data = s.options.data
        outcome = finished ? "finished" : (trainLoss.isFinite ? "stopped" : "diverged")
        steps = s.optimizer.stepCount
        epochs = steps / max(s.stepsPerEpoch, 1)
        self.seconds = seconds
        parameters = s.training.parameters.reduce(0) { $0 + $1.value.count }
        trainable_parameters = s.training.trainableParameters.reduce(0) { $0 + $1.value.count }
        class_labels = s.classLabels.values
        rows = ["train": s.split.train.count, "validation": s.split.validation.count, "test": s.split.test.count]
        max_length = s.options.maxLength
        truncated = s.data.truncatedCount
        samples_per_second = samplesPerSecond; tokens_per_second = tokensPerSecond
        threads = s.options.threads
        train_loss = trainLoss
        self.validation = TextMetrics(validation); self.test = TextMetrics(test)
        self.checkpoint = checkpoint
    }

    public func write(to path: String) throws {
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys, .prettyPrinted]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try AtomicFile.write(Array(try enc.encode(self)), to: path)
    }
}
