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

/// Runs `model` over `data` in chunks of `batch` rows (eval mode: no dropout).
public func evaluate(_ model: MLP, on data: Dataset, batch: Int = 512, keepLogits: Bool = false) -> Evaluation {
    let classes = max(data.classes, model.layout.sizes.last ?? 1)
    var predictions = [Int](repeating: 0, count: data.count)
    var lossSum = 0.0
    var allLogits: [Float] = keepLogits ? [] : []
    if keepLogits { allLogits.reserveCapacity(data.count * classes) }
    var start = 0
    while start < data.count {
        let end = min(data.count, start + batch)
        let chunk = data.rows(start..<end)
        let logits = model.predict(chunk.features)
        let (loss, _) = softmaxCrossEntropy(logits: logits, labels: chunk.labels)
        lossSum += Double(loss) * Double(end - start)
        let am = argmaxRows(logits)
        for r in 0..<(end - start) { predictions[start + r] = am[r] }
        if keepLogits { allLogits.append(contentsOf: logits.storage) }
        start = end
    }
    let report = ClassificationReport(predictions: predictions, labels: data.labels, classes: classes)
    let outLogits = keepLogits ? Tensor(shape: [data.count, model.layout.sizes.last ?? 1], storage: allLogits) : nil
    return Evaluation(loss: data.count > 0 ? lossSum / Double(data.count) : .nan,
                      report: report, predictions: predictions, logits: outLogits)
}
