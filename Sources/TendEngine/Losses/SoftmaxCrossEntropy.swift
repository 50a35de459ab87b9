import TendTensor

/// Softmax cross-entropy fused with its gradient, for logits [batch, classes] and integer labels.
/// With label smoothing ε the target is `(1 − ε)·onehot + ε/classes`. Returns the mean loss over
/// the batch (nats) and `∂loss/∂logits = (softmax − target) / batch`. Stable: log-sum-exp with the
/// row maximum subtracted.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int], labelSmoothing: Float = 0) -> (loss: Float, grad: Tensor) {
    var grad = Tensor.empty
    let loss = softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: labelSmoothing, gradInto: &grad)
    return (loss, grad)
}

/// Same as `softmaxCrossEntropy(logits:labels:labelSmoothing:)`, writing the gradient into a
/// reusable buffer (no allocation when its shape is unchanged). Returns the mean loss.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int], labelSmoothing: Float = 0, gradInto grad: inout Tensor) -> Float {
    var plain: Float = 0
    return softmaxCrossEntropy(logits: logits, labels: labels, labelSmoothing: labelSmoothing, gradInto: &grad, crossEntropy: &plain)
}

/// Same as `softmaxCrossEntropy(logits:labels:labelSmoothing:gradInto:)`, also writing into `crossEntropy`
/// the mean cross-entropy against the hard labels (no smoothing term): the number comparable to a
/// validation loss. Returns the (smoothed) training loss.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int], labelSmoothing: Float, gradInto grad: inout Tensor,
                                crossEntropy: inout Float) -> Float {
    let rows = logits.rows, cols = logits.cols
    precondition(labels.count == rows, "softmaxCrossEntropy: \(labels.count) labels for \(rows) rows of logits")
    precondition(labelSmoothing >= 0 && labelSmoothing < 1, "softmaxCrossEntropy: label smoothing \(labelSmoothing) must lie in [0, 1)")
    guard rows > 0 else { grad.ensureShape(logits.shape); crossEntropy = 0; return 0 }
    for (r, y) in labels.enumerated() where y < 0 || y >= cols {
        preconditionFailure("softmaxCrossEntropy: label \(y) at row \(r) is outside 0..<\(cols)")
    }
    let total = labels.withUnsafeBufferPointer {
        softmaxCrossEntropyRowsWithPlain(logits, labels: $0, labelSmoothing: labelSmoothing, gradInto: &grad)
    }
    crossEntropy = Float(total.plain / Double(rows))
    return Float(total.smoothed / Double(rows))
}
