import Foundation
import TendEngine

/// A classifier's outputs on texts in eval mode: per row the predicted class and the class probabilities, and,
/// when the texts have labels, the mean cross-entropy and the classification report.
public struct TextEvaluation: Sendable {
    public var predictions: [Int]
    /// Softmax probabilities per row, in class order.
    public var probabilities: [[Float]]
    /// Mean cross-entropy (natural log); nil without labels.
    public var loss: Double?
    public var report: ClassificationReport?

    /// Runs `training`'s forward (no dropout) over `rows` of `data` in batches of `batch`, shortest first.
    public static func run(_ training: BertClassifierTraining, data: TextDataset, rows: [Int], batch: Int) -> TextEvaluation {
        let k = training.classes
        var probs = [[Float]](repeating: [], count: rows.count)
        let order = rows.indices.sorted { data.tokens[rows[$0]].count < data.tokens[rows[$1]].count }
        var start = 0
        while start < order.count {
            let slots = Array(order[start..<min(order.count, start + batch)])
            let picked = slots.map { rows[$0] }
            // Labels only feed the loss, which is recomputed below; 0 is valid for every head.
            _ = try? training.forward(data.batch(picked), labels: [Int](repeating: 0, count: picked.count), training: false)
            let logits = training.logits
            for (i, slot) in slots.enumerated() {
                let row = (0..<k).map { logits[i, $0] }
                let m = row.max() ?? 0
                let e = row.map { Foundation.exp($0 - m) }
                let s = e.reduce(0, +)
                probs[slot] = e.map { $0 / s }
            }
            start += batch
        }
        let predictions = probs.map { p in p.indices.max { p[$0] < p[$1] } ?? 0 }
        guard !data.labels.isEmpty else { return TextEvaluation(predictions: predictions, probabilities: probs) }
        let labels = rows.map { data.labels[$0] }
        let loss = zip(probs, labels).reduce(0.0) { $0 - Foundation.log(Double(max($1.0[$1.1], 1e-30))) } / Double(max(rows.count, 1))
        return TextEvaluation(predictions: predictions, probabilities: probs, loss: loss,
                              report: ClassificationReport(predictions: predictions, labels: labels, classes: k))
    }
}
