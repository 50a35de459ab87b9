import ArgumentParser
import Foundation
import TendBench
import TendRuntime
import TendEngine
import TendTensor

/// `tend eval`: metrics, confusion matrix and per-row predictions of a model on every given row.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a checkpoint or imported weights on a CSV (no split: every given row).",
        discussion: "With --text-column, --checkpoint is a fine-tune checkpoint directory (tend train --model) and the CSV holds texts.")

    @OptionGroup var model: ModelSource
    @Option(help: "CSV file with a header row.") var data: String
    @Option(help: "Name of the integer label column (default label; with --text-column optional).") var label: String?
    @Option(help: "Column of texts: evaluate a fine-tuned transformer checkpoint (per-row predictions with probabilities).")
    var textColumn: String?
    @Option(help: "Data rows A to B-1 (0-based, header not counted), e.g. 0:100.") var rows: String?
    @Option(help: "Write per-row predictions (row, label, argmax, logits) to this CSV.") var predictions: String?
    @Option(help: "BLAS threads.") var threads = 1
    @Flag(help: "With --json, include every row's prediction (row, label, argmax, class probabilities) in the object.")
    var rowsJson = false
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func validate() throws {
        if rowsJson && !json { throw ValidationError("--rows-json adds per-row predictions to the --json object; give --json too") }
    }

    func run() throws {
        try reportingErrors {
            if let textColumn, let checkpoint = model.checkpoint {
                let report = try TextEvalJob(checkpoint: checkpoint, data: data, textColumn: textColumn, label: label, threads: threads).run()
                if !json || Output.stderrIsTTY { Output.info(report.text) }
                if json { Output.json(report) }
                return
            }
            let label = label ?? "label"
            BLAS.setThreads(threads)
            let loaded = try model.load()
            // Labels become the model's class indices through the checkpoint's class_labels (identity for older files).
            let classLabels = loaded.classLabels
            var ds = try loadDataset(path: data, label: label).mapped(to: classLabels, path: data)
            if let rows {
                let p = rows.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
                guard p.count == 2, let a = p[0], let b = p[1], a >= 0, a < b, b <= ds.count else {
                    throw OptionError.invalid(option: "--rows", value: rows, expected: "A:B with 0 ≤ A < B ≤ \(ds.count) (data rows, header not counted)")
                }
                ds = ds.rows(a..<b)
            }
            let inputs = loaded.model.architecture.featureCount ?? 0
            let outputs = loaded.model.outputCount
            try ds.checkFits(inputs: inputs, classes: outputs, path: data, labelColumn: label)
            ds.classes = outputs
            let normalizer = loaded.normalizer ?? Normalizer.fit(loaded.normalization, on: ds.features)
            let ev = evaluate(loaded.servable, on: normalizer.apply(ds), classes: outputs, keepLogits: predictions != nil || rowsJson)
            if let predictions, let logits = ev.logits {
                try writePredictions(path: predictions, labels: ds.labels.map(classLabels.label(of:)),
                                     predicted: ev.predictions.map(classLabels.label(of:)), logits: logits, firstRow: rowsStart)
            }
            var result = EvalResult(ev, model: loaded, data: data, predictions: predictions, classLabels: classLabels)
            if rowsJson, let logits = ev.logits {
                result.row_predictions = RowPrediction.rows(labels: ds.labels, predicted: ev.predictions, logits: logits,
                                                             firstRow: rowsStart, classLabels: classLabels)
            }
            if !json || Output.stderrIsTTY {
                Output.info(String(format: "%@ on %@: accuracy %.4f  macro F1 %.4f  precision %.4f  recall %.4f  loss %.4f  (%d rows)",
                                   loaded.path, data, ev.report.accuracy, ev.report.macroF1, ev.report.macroPrecision,
                                   ev.report.macroRecall, ev.loss, ev.report.count))
                Output.info("confusion matrix (rows: true label, columns: predicted):")
                Output.info(formatConfusion(ev.report.confusion, labels: classLabels.values))
                if !loaded.ignoredTensors.isEmpty {
                    Output.info("ignored tensors: " + loaded.ignoredTensors.joined(separator: ", "))
                }
                if let predictions { Output.info("predictions written to \(predictions)") }
            }
            if json { Output.json(result) }
        }
    }

    private var rowsStart: Int {
        guard let rows, let a = rows.split(separator: ":").first.flatMap({ Int($0) }) else { return 0 }
        return a
    }
}

struct EvalResult: Encodable {
    var model: String
    var data: String
    var rows: Int
    var accuracy: Double, f1_macro: Double, precision_macro: Double, recall_macro: Double, loss: Double
    var per_class: [PerClass]
    var confusion: [[Int]]
    var used_tensors: [String], ignored_tensors: [String]
    var predictions: String?
    /// `--rows-json`: one entry per evaluated row (absent otherwise).
    var row_predictions: [RowPrediction]?
    struct PerClass: Encodable { var label: Int, precision: Double, recall: Double, f1: Double, support: Int }

    /// `label` of each class is the data label (`class_labels`), not the class index.
    init(_ e: Evaluation, model m: ModelSource.Loaded, data: String, predictions: String?, classLabels: ClassLabels) {
        model = m.path; self.data = data; rows = e.report.count
        accuracy = e.report.accuracy; f1_macro = e.report.macroF1; precision_macro = e.report.macroPrecision
        recall_macro = e.report.macroRecall; loss = e.loss; confusion = e.report.confusion
        per_class = (0..<e.report.confusion.count).map { k in
            PerClass(label: k < classLabels.count ? classLabels.label(of: k) : k, precision: e.report.precision[k], recall: e.report.recall[k], f1: e.report.f1[k],
                     support: e.report.confusion[k].reduce(0, +))
        }
        used_tensors = m.usedTensors; ignored_tensors = m.ignoredTensors
        self.predictions = predictions
    }
}

/// Writes `row,label,argmax,logit_0..` atomically.
func writePredictions(path: String, labels: [Int], predicted: [Int], logits: Tensor, firstRow: Int) throws {
    var text = "row,label,argmax," + (0..<logits.cols).map { "logit_\($0)" }.joined(separator: ",") + "\n"
    text.reserveCapacity(labels.count * (logits.cols * 12 + 16))
    for i in 0..<labels.count {
        text += "\(firstRow + i),\(labels[i]),\(predicted[i])"
        for j in 0..<logits.cols { text += "," + String(logits[i, j]) }
        text += "\n"
    }
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
    catch { throw RunError.cannotWrite(what: "predictions", path: path, reason: error.localizedDescription) }
}
