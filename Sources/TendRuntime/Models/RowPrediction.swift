import Foundation
import TendEngine
import TendTensor

/// One evaluated row as `tend eval --rows-json` reports it: the data row (0-based, header not counted), its
/// label and the predicted label (data labels, through the model's `ClassLabels`), and the softmax probability
/// of each class in class order (class k is label `classLabels.values[k]`).
public struct RowPrediction: Encodable, Sendable, Equatable {
    public var row: Int, label: Int, argmax: Int
    public var probabilities: [Double]

    /// The rows of an evaluation: `labels` and `predicted` are class indices, `logits` [rows, classes].
    public static func rows(labels: [Int], predicted: [Int], logits: Tensor, firstRow: Int, classLabels: ClassLabels) -> [RowPrediction] {
        let k = logits.cols
        return (0..<labels.count).map { i in
            var p = (0..<k).map { Double(logits[i, $0]) }
            let top = p.max() ?? 0
            var sum = 0.0
            for j in 0..<k { p[j] = exp(p[j] - top); sum += p[j] }
            for j in 0..<k { p[j] /= sum }
            return RowPrediction(row: firstRow + i, label: classLabels.label(of: labels[i]),
                                 argmax: classLabels.label(of: predicted[i]), probabilities: p)
        }
    }
}
