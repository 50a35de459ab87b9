import TendTensor

/// The result of running a model over a data set in eval mode.
public struct Evaluation: Sendable {
    /// Mean softmax cross-entropy (natural log) over all rows.
    public var loss: Double
    public var report: ClassificationReport
    /// Argmax class per row.
    public var predictions: [Int]
    /// Logits [rows, classes] when asked for.
    public var logits: Tensor?
}

/// Runs `model` (an fp32 model, a quantized one, any `Predictor`) over `data` in chunks of `batch`
/// rows in eval mode (no dropout). The report counts `max(data.classes, classes)` classes, where
/// `classes` defaults to the model's `outputCount`.
public func evaluate(_ model: any Predictor, on data: Dataset, classes: Int? = nil, batch: Int = 512,
                     keepLogits: Bool = false) -> Evaluation {
    evaluate(model, count: data.count, labels: data.labels, classes: max(data.classes, classes ?? model.outputCount),
             batch: batch, keepLogits: keepLogits) { range in .features(data.rows(range).features) }
}

/// The one evaluation loop, for inputs of any kind: `input(range)` gives the `Batch` of examples `range`
/// (features or tokens), `labels` their classes (`count` of them). Chunks of `batch` examples, eval mode;
/// the report counts `classes` classes.
public func evaluate(_ model: any Predictor, count: Int, labels: [Int], classes: Int, batch: Int = 512,
                     keepLogits: Bool = false, input: (Range<Int>) -> Batch) -> Evaluation {
    precondition(labels.count == count, "evaluate: \(labels.count) labels for \(count) examples")
    var predictions = [Int](repeating: 0, count: count)
    var lossSum = 0.0
    var allLogits: [Float] = []
    if keepLogits { allLogits.reserveCapacity(count * model.outputCount) }
    var width = model.outputCount
    var start = 0
    while start < count {
        let end = min(count, start + batch)
        let logits = model.predict(input(start..<end))
        width = logits.cols
        let (loss, _) = softmaxCrossEntropy(logits: logits, labels: Array(labels[start..<end]))
        lossSum += Double(loss) * Double(end - start)
        let am = argmaxRows(logits)
        for r in 0..<(end - start) { predictions[start + r] = am[r] }
        if keepLogits { allLogits.append(contentsOf: logits.storage) }
        start = end
    }
    return Evaluation(loss: count > 0 ? lossSum / Double(count) : .nan,
                      report: ClassificationReport(predictions: predictions, labels: labels, classes: classes),
                      predictions: predictions,
                      logits: keepLogits ? Tensor(shape: [count, width], storage: allLogits) : nil)
}
