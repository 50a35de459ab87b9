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
    let classes = max(data.classes, classes ?? model.outputCount)
    var predictions = [Int](repeating: 0, count: data.count)
    var lossSum = 0.0
    var allLogits: [Float] = []
    if keepLogits { allLogits.reserveCapacity(data.count * model.outputCount) }
    var width = model.outputCount
    var start = 0
    while start < data.count {
        let end = min(data.count, start + batch)
        let chunk = data.rows(start..<end)
        let logits = model.predict(.features(chunk.features))
        width = logits.cols
        let (loss, _) = softmaxCrossEntropy(logits: logits, labels: chunk.labels)
        lossSum += Double(loss) * Double(end - start)
        let am = argmaxRows(logits)
        for r in 0..<(end - start) { predictions[start + r] = am[r] }
        if keepLogits { allLogits.append(contentsOf: logits.storage) }
        start = end
    }
    return Evaluation(loss: data.count > 0 ? lossSum / Double(data.count) : .nan,
                      report: ClassificationReport(predictions: predictions, labels: data.labels, classes: classes),
                      predictions: predictions,
                      logits: keepLogits ? Tensor(shape: [data.count, width], storage: allLogits) : nil)
}
