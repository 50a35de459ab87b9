/// Fused parameter-update kernels. A `mask` (0/1, same shape as the weights) freezes pruned
/// entries: their gradient is ignored and the weight and every state entry are multiplied by the
/// mask after the update, so a masked weight stays exactly 0.

/// One SGD step: `g' = g + l2Coefficient·w`; with momentum μ: `v = μv + g'`,
/// update `d = v` (or `g' + μv` for Nesterov); `w -= lr·d`. `velocity` is unused when μ = 0.
public func sgdUpdate(_ w: inout Tensor, grad: Tensor, velocity: inout Tensor, mask: Tensor?,
                      learningRate lr: Float, momentum mu: Float, nesterov: Bool, l2Coefficient l2: Float) {
    precondition(grad.shape == w.shape, "sgdUpdate: gradient \(grad.shape) does not match weights \(w.shape)")
    if let mask { precondition(mask.shape == w.shape, "sgdUpdate: mask \(mask.shape) does not match weights \(w.shape)") }
    if mu != 0 { velocity.ensureShape(w.shape) }
    let n = w.count
    guard n > 0 else { return }
    let one: Float = 1
    withOptionalMask(mask) { mk, hasMask in
        grad.withUnsafeBufferPointer { pg in
            w.withUnsafeMutableBufferPointer { pw in
                let g = pg.baseAddress!, wp = pw.baseAddress!
                if mu == 0 {
                    for i in 0..<n {
                        let m = hasMask ? mk[i] : one
                        let ge = (g[i] + l2 * wp[i]) * m
                        wp[i] = (wp[i] - lr * ge) * m
                    }
                    return
                }
                velocity.withUnsafeMutableBufferPointer { pv in
                    let v = pv.baseAddress!
                    for i in 0..<n {
                        let m = hasMask ? mk[i] : one
                        let ge = (g[i] + l2 * wp[i]) * m
                        let vn = (mu * v[i] + ge) * m
                        v[i] = vn
                        let d = nesterov ? ge + mu * vn : vn
                        wp[i] = (wp[i] - lr * d) * m
                    }
                }
            }
        }
    }
}

/// One Adam/AdamW step at 1-based step `t` (PyTorch's formulation):
/// `g' = g + l2Coefficient·w`; `w *= 1 − lr·decoupledDecay` (AdamW); `m = β₁m + (1−β₁)g'`;
/// `v = β₂v + (1−β₂)g'²`; `w -= (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)`.
public func adamUpdate(_ w: inout Tensor, grad: Tensor, m: inout Tensor, v: inout Tensor, mask: Tensor?,
                       learningRate lr: Float, beta1: Float, beta2: Float, epsilon: Float, step t: Int,
                       l2Coefficient l2: Float, decoupledDecay wd: Float) {
    precondition(grad.shape == w.shape, "adamUpdate: gradient \(grad.shape) does not match weights \(w.shape)")
    if let mask { precondition(mask.shape == w.shape, "adamUpdate: mask \(mask.shape) does not match weights \(w.shape)") }
    precondition(t >= 1, "adamUpdate: step must be ≥ 1")
    m.ensureShape(w.shape)
    v.ensureShape(w.shape)
    let n = w.count
    guard n > 0 else { return }
    let bc1 = 1 - Float(pow(Double(beta1), Double(t)))
    let bc2 = 1 - Float(pow(Double(beta2), Double(t)))
    let stepSize = lr / bc1
    let invSqrtBc2 = 1 / bc2.squareRoot()
    let decay = 1 - lr * wd
    let b1 = beta1, b2 = beta2, c1 = 1 - beta1, c2 = 1 - beta2, eps = epsilon
    let one: Float = 1
    withOptionalMask(mask) { mk, hasMask in
        grad.withUnsafeBufferPointer { pg in
            w.withUnsafeMutableBufferPointer { pw in
                m.withUnsafeMutableBufferPointer { pm in
                    v.withUnsafeMutableBufferPointer { pv in
                        let g = pg.baseAddress!, wp = pw.baseAddress!, mp = pm.baseAddress!, vp = pv.baseAddress!
                        for i in 0..<n {
                            let k = hasMask ? mk[i] : one
                            let wi = wp[i]
                            let ge = (g[i] + l2 * wi) * k
                            let mi = (b1 * mp[i] + c1 * ge) * k
                            let vi = (b2 * vp[i] + c2 * ge * ge) * k
                            mp[i] = mi
                            vp[i] = vi
                            let denom = vi.squareRoot() * invSqrtBc2 + eps
                            wp[i] = (wi * decay - stepSize * mi / denom) * k
                        }
                    }
                }
            }
        }
    }
}

@inline(__always)
private func withOptionalMask(_ mask: Tensor?, _ body: (UnsafePointer<Float>, Bool) -> Void) {
    if let mask {
        mask.withUnsafeBufferPointer { body($0.baseAddress!, true) }
    } else {
        var dummy: Float = 1
        withUnsafePointer(to: &dummy) { body($0, false) }
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
