#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Fused softmax cross-entropy over rows: writes `∂loss/∂logits = (softmax − target) / rows` into
/// `grad` and returns the summed (not averaged) loss in nats, where the target of row r is
/// `(1 − ε)·onehot(labels[r]) + ε/cols`. Labels must lie in `0..<cols` (checked by the caller).
public func softmaxCrossEntropyRows(_ logits: Tensor, labels: UnsafeBufferPointer<Int>, labelSmoothing eps: Float,
                                   gradInto grad: inout Tensor) -> Double {
    softmaxCrossEntropyRowsWithPlain(logits, labels: labels, labelSmoothing: eps, gradInto: &grad).smoothed
}

/// Same as `softmaxCrossEntropyRows`, also returning `plain`: the summed cross-entropy against the hard
/// labels (`logsumexp(z) − z_y`, no smoothing term), what an evaluation measures. Equal to `smoothed` when ε = 0.
public func softmaxCrossEntropyRowsWithPlain(_ logits: Tensor, labels: UnsafeBufferPointer<Int>, labelSmoothing eps: Float,
                                            gradInto grad: inout Tensor) -> (smoothed: Double, plain: Double) {
    let rows = logits.rows, cols = logits.cols
    grad.ensureShape(logits.shape)
    guard rows > 0, cols > 0 else { return (0, 0) }
    let off = eps / Float(cols), on = 1 - eps + off
    let invB = 1 / Float(rows)
    var total = 0.0, plain = 0.0
    logits.withUnsafeBufferPointer { pl in
        grad.withUnsafeMutableBufferPointer { pg in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: rows) { maxima in
                let z0 = pl.baseAddress!, g0 = pg.baseAddress!
                shiftedExpRows(z0, g0, rows: rows, cols: cols, maxima: maxima.baseAddress!)
                for r in 0..<rows {
                    let y = labels[r]
                    let z = z0 + r * cols, g = g0 + r * cols
                    var s: Float = 0, sz: Float = 0
                    for j in 0..<cols { s += g[j]; sz += z[j] }
                    // loss_r = logsumexp(z) − Σ_j q_j z_j  (Σ_j q_j = 1)
                    let lse = Double(maxima[r]) + log(Double(s))
                    total += lse - Double(off) * Double(sz) - Double(on - off) * Double(z[y])
                    plain += lse - Double(z[y])
                    let inv = invB / s, shift = off * invB
                    for j in 0..<cols { g[j] = g[j] * inv - shift }
                    g[y] -= (on - off) * invB
                }
            }
        }
    }
    return (total, plain)
}
