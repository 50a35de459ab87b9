import TendTensor
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

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
    let rows = logits.rows, cols = logits.cols
    precondition(labels.count == rows, "softmaxCrossEntropy: \(labels.count) labels for \(rows) rows of logits")
    precondition(labelSmoothing >= 0 && labelSmoothing < 1, "softmaxCrossEntropy: label smoothing \(labelSmoothing) must lie in [0, 1)")
    grad.ensureShape(logits.shape)
    guard rows > 0 else { return 0 }
    let eps = labelSmoothing
    let off = eps / Float(cols), on = 1 - eps + off
    let invB = 1 / Float(rows)
    var total = 0.0
    logits.withUnsafeBufferPointer { pl in
        grad.withUnsafeMutableBufferPointer { pg in
            for r in 0..<rows {
                let y = labels[r]
                precondition(y >= 0 && y < cols, "softmaxCrossEntropy: label \(y) at row \(r) is outside 0..<\(cols)")
                let z = pl.baseAddress! + r * cols, g = pg.baseAddress! + r * cols
                var mx = z[0]
                for j in 1..<cols { mx = max(mx, z[j]) }
                var s: Float = 0
                for j in 0..<cols { let e = FastMath.exp(z[j] - mx); g[j] = e; s += e }
                let lse = Double(mx) + log(Double(s))
                // loss_r = lse − Σ_j q_j z_j  (Σ q = 1)
                var sz: Float = 0
                for j in 0..<cols { sz += z[j] }
                let qz = Double(off) * Double(sz) + Double(on - off) * Double(z[y])
                total += lse - qz
                let inv = invB / s
                for j in 0..<cols { g[j] = g[j] * inv - off * invB }
                g[y] -= (on - off) * invB
            }
        }
    }
    return Float(total / Double(rows))
}
