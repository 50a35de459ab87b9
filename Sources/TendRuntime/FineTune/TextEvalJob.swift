import Foundation
import TendEngine
import TendInterop
import TendTensor

/// `tend eval --checkpoint CK --data FILE.csv --text-column text [--label label]`: a fine-tune checkpoint on
/// every row of a text CSV. With labels: accuracy, P/R/F1, confusion; always per-row predictions and probabilities.
public struct TextEvalJob: Sendable {
    public var checkpoint: String
    public var data: String
    public var textColumn = "text"
    /// The label column; nil: `label` when the CSV has one, else predictions only.
    public var label: String?
    public var threads = 1

    public init(checkpoint: String, data: String, textColumn: String = "text", label: String? = nil, threads: Int = 1) {
        self.checkpoint = checkpoint; self.data = data; self.textColumn = textColumn; self.label = label; self.threads = threads
    }

    public func run() throws -> TextEvalReport {
        BLAS.setThreads(threads)
        let ck = try FineTuneCheckpoint.read(checkpoint)
        var labelColumn = label
        if labelColumn == nil, let header = try? CSVTextTable.load(path: data).header, header.contains("label") { labelColumn = "label" }
        let maxLength = min(ck.maxLength ?? ck.encoder.encoder.config.maxPositions, ck.encoder.encoder.config.maxPositions)
        let (ds, _) = try TextDataset.load(path: data, textColumn: textColumn, labelColumn: labelColumn, classLabels: ck.classLabels,
                                           tokenizer: ck.tokenizer, maxLength: maxLength)
        let training = BertClassifierTraining(encoder: ck.encoder.encoder, classes: ck.classLabels.count, pooling: ck.pooling,
                                              headWeight: ck.headWeight, headBias: ck.headBias)
        let ev = TextEvaluation.run(training, data: ds, rows: Array(0..<ds.count), batch: 32)
        let labels = ck.classLabels
        let perClass: [TextEvalReport.PerClass]? = ev.report.map { r in
            (0..<labels.count).map { k in
                .init(label: labels.label(of: k), precision: r.precision[k], recall: r.recall[k], f1: r.f1[k], support: r.confusion[k].reduce(0, +))
            }
        }
        let rows = (0..<ds.count).map { i in
            TextEvalReport.Row(row: i, label: ds.labels.isEmpty ? nil : labels.label(of: ds.labels[i]),
                               predicted: labels.label(of: ev.predictions[i]), probabilities: ev.probabilities[i])
        }
        return TextEvalReport(checkpoint: ck.directory, data: data, text_column: textColumn, label_column: labelColumn, rows: ds.count,
                              truncated: ds.truncatedCount, max_length: maxLength, class_labels: labels.values, metrics: TextMetrics(ev),
                              per_class: perClass, predictions: rows)
    }
}

/// What `tend eval --text-column … --json` prints.
public struct TextEvalReport: Encodable, Sendable {
    public struct PerClass: Encodable, Sendable { public var label: Int, precision: Double, recall: Double, f1: Double, support: Int }
    /// A data row (0-based, header not counted), its label when known, the predicted label and the class probabilities (in `class_labels` order).
    public struct Row: Encodable, Sendable { public var row: Int; public var label: Int?; public var predicted: Int; public var probabilities: [Float] }
    public var checkpoint: String
    public var data: String
    public var text_column: String
    public var label_column: String?
    public var rows: Int
    public var truncated: Int
    public var max_length: Int
    public var class_labels: [Int]
    /// Accuracy, macro P/R/F1, loss and confusion; nil without labels.
    public var metrics: TextMetrics?
    public var per_class: [PerClass]?
    public var predictions: [Row]

    /// The human summary for stderr.
    public var text: String {
        var lines = ["\(checkpoint) on \(data): \(rows) rows (\(truncated) truncated to \(max_length) tokens)"]
        if let m = metrics {
            lines.append(String(format: "accuracy %.4f  macro F1 %.4f  precision %.4f  recall %.4f  loss %.4f",
                                m.accuracy, m.f1_macro, m.precision_macro, m.recall_macro, m.loss))
            lines.append("confusion matrix (rows: true label, columns: predicted):")
            lines.append(formatConfusion(m.confusion, labels: class_labels))
        } else {
            let counts = class_labels.map { l in predictions.filter { $0.predicted == l }.count }
            lines.append("no label column: predicted " + zip(class_labels, counts).map { "\($0.0): \($0.1)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
