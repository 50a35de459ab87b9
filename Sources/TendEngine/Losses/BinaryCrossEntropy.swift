import TendTensor
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Binary cross-entropy on logits (sigmoid fused), targets in [0, 1] of the same shape.
/// Loss = mean over ALL elements (batch × outputs, like PyTorch `BCEWithLogitsLoss`; for [batch, 1]
/// that is the mean over the batch) of `max(z, 0) − z·t + log(1 + e^−|z|)`, which is stable for any z.
/// Gradient `(σ(z) − t) / count`.
public func binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor) -> (loss: Float, grad: Tensor) {
    precondition(logits.shape == targets.shape, "binaryCrossEntropyWithLogits: logits \(logits.shape) vs targets \(targets.shape)")
    let n = logits.count
    var grad = Tensor(shape: logits.shape)
    guard n > 0 else { return (0, grad) }
    let invN = 1 / Float(n)
    var total = 0.0
    logits.withUnsafeBufferPointer { pz in
        targets.withUnsafeBufferPointer { pt in
            grad.withUnsafeMutableBufferPointer { pg in
                for i in 0..<n {
                    let z = pz[i], t = pt[i]
                    total += Double(max(z, 0) - z * t) + log1p(exp(-Double(abs(z))))
                    pg[i] = (FastMath.sigmoid(z) - t) * invN
                }
            }
        }
    }
    return (Float(total / Double(n)), grad)
}
