import TendTensor

/// Runs any servable model over `data` in chunks of `batch` rows, like `evaluate(_:on:)` for an MLP.
public func evaluate(servable model: any ServableModel, classes: Int, on data: Dataset, batch: Int = 512,
                     keepLogits: Bool = false) -> Evaluation {
    let classes = max(data.classes, classes)
    var predictions = [Int](repeating: 0, count: data.count)
    var lossSum = 0.0
    var allLogits: [Float] = []
    var width = classes
    var start = 0
    while start < data.count {
        let end = min(data.count, start + batch)
        let chunk = data.rows(start..<end)
        let logits = model.predict(chunk.features)
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

/// `evaluate(servable:)` for a quantized MLP.
public func evaluate(_ model: QuantizedMLP, on data: Dataset, batch: Int = 512, keepLogits: Bool = false) -> Evaluation {
    evaluate(servable: model, classes: model.layout.outputs, on: data, batch: batch, keepLogits: keepLogits)
}
