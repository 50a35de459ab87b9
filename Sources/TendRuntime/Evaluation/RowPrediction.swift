import Foundation
import TendTensor

/// One evaluated row as `tend eval --json --rows-json` reports it: the data row (0-based, header not
/// counted), its label, the predicted class (first maximum) and the softmax probabilities of each class
/// (sum 1 up to rounding; from the logits the model gave, int8 path included).
public struct RowPrediction: Encodable, Equatable, Sendable {
    public var row: Int
    public var label: Int
    public var argmax: Int
    public var probabilities: [Double]

    /// Rows of `logits` ([rows, classes]) with their `labels` and `predicted` classes; `firstRow` numbers the first.
    public static func rows(labels: [Int], predicted: [Int], logits: Tensor, firstRow: Int = 0) -> [RowPrediction] {
        precondition(labels.count == logits.rows && predicted.count == logits.rows,
                     "RowPrediction.rows: \(labels.count) labels, \(predicted.count) predictions for \(logits.rows) rows")
        let cols = logits.cols
        return logits.storage.withUnsafeBufferPointer { p in
            (0..<logits.rows).map { r in
                let z = p[(r * cols)..<(r * cols + cols)]
                let top = Double(z.max() ?? 0)
                var e = z.map { exp(Double($0) - top) }
                let sum = e.reduce(0, +)
                for j in e.indices { e[j] /= sum }
                return RowPrediction(row: firstRow + r, label: labels[r], argmax: predicted[r], probabilities: e)
            }
        }
    }
}
