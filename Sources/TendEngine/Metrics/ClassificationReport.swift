#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import TendTensor

/// Accuracy, per-class precision/recall/F1, their macro averages and the confusion matrix
/// (rows = true class, columns = predicted class). A ratio with an empty denominator (a class never
/// predicted, or absent from the labels) is 0, like scikit-learn's `zero_division=0`; macro
/// averages are plain means over all `classes`.
public struct ClassificationReport: Codable, Sendable, Equatable {
    public var accuracy: Double
    public var precision: [Double]
    public var recall: [Double]
    public var f1: [Double]
    public var macroPrecision: Double
    public var macroRecall: Double
    public var macroF1: Double
    public var confusion: [[Int]]
    /// Number of samples.
    public var count: Int

    public init(predictions: [Int], labels: [Int], classes: Int) {
        precondition(predictions.count == labels.count, "ClassificationReport: \(predictions.count) predictions for \(labels.count) labels")
        precondition(classes > 0, "ClassificationReport: classes must be positive")
        var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (p, y) in zip(predictions, labels) {
            precondition(p >= 0 && p < classes && y >= 0 && y < classes, "ClassificationReport: class \(p) or \(y) is outside 0..<\(classes)")
            confusion[y][p] += 1
        }
        let n = labels.count
        var correct = 0
        var precision = [Double](repeating: 0, count: classes)
        var recall = precision, f1 = precision
        for c in 0..<classes {
            let tp = confusion[c][c]
            correct += tp
            let predicted = (0..<classes).reduce(0) { $0 + confusion[$1][c] }
            let actual = confusion[c].reduce(0, +)
            precision[c] = predicted > 0 ? Double(tp) / Double(predicted) : 0
            recall[c] = actual > 0 ? Double(tp) / Double(actual) : 0
            let s = precision[c] + recall[c]
            f1[c] = s > 0 ? 2 * precision[c] * recall[c] / s : 0
        }
        accuracy = n > 0 ? Double(correct) / Double(n) : 0
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        macroPrecision = precision.reduce(0, +) / Double(classes)
        macroRecall = recall.reduce(0, +) / Double(classes)
        macroF1 = f1.reduce(0, +) / Double(classes)
        self.confusion = confusion
        count = n
    }
}

/// Mean negative log-likelihood of the true labels under `probabilities` [batch, classes]
/// (each probability clamped to [1e-15, 1], like scikit-learn's `log_loss`).
public func logLoss(probabilities: Tensor, labels: [Int]) -> Double {
    let rows = probabilities.rows, cols = probabilities.cols
    precondition(labels.count == rows, "logLoss: \(labels.count) labels for \(rows) rows")
    guard rows > 0 else { return 0 }
    var total = 0.0
    for (r, y) in labels.enumerated() {
        precondition(y >= 0 && y < cols, "logLoss: label \(y) at row \(r) is outside 0..<\(cols)")
        let p = min(1, max(1e-15, Double(probabilities[r, y])))
        total -= log(p)
    }
    return total / Double(rows)
}
