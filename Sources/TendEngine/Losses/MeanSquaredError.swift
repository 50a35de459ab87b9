import TendTensor

/// Mean squared error over all elements: `mean((p − t)²)`, gradient `2(p − t) / count`.
public func meanSquaredError(predictions: Tensor, targets: Tensor) -> (loss: Float, grad: Tensor) {
    precondition(predictions.shape == targets.shape, "meanSquaredError: predictions \(predictions.shape) vs targets \(targets.shape)")
    let n = predictions.count
    var diff = Tensor.empty
    subtract(predictions, targets, into: &diff)
    guard n > 0 else { return (0, diff) }
    let loss = sumOfSquares(diff) / Double(n)
    scale(&diff, by: 2 / Float(n))
    return (Float(loss), diff)
}
