import CKernels

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
    withOptionalMask(mask) { mk, hasMask in
        grad.withUnsafeBufferPointer { pg in
            w.withUnsafeMutableBufferPointer { pw in
                let g = pg.baseAddress!, wp = pw.baseAddress!
                let n8 = n & ~7
                if mu == 0 {
                    var i = 0
                    while i < n8 {
                        let k = hasMask ? mk.load8(i) : F8(repeating: 1)
                        let wi = wp.load8(i)
                        let ge = (g.load8(i) + l2 * wi) * k
                        wp.store8((wi - lr * ge) * k, i)
                        i += 8
                    }
                    while i < n {
                        let k: Float = hasMask ? mk[i] : 1
                        let ge = (g[i] + l2 * wp[i]) * k
                        wp[i] = (wp[i] - lr * ge) * k
                        i += 1
                    }
                    return
                }
                velocity.withUnsafeMutableBufferPointer { pv in
                    let v = pv.baseAddress!
                    var i = 0
                    while i < n8 {
                        let k = hasMask ? mk.load8(i) : F8(repeating: 1)
                        let wi = wp.load8(i)
                        let ge = (g.load8(i) + l2 * wi) * k
                        let vn = (mu * v.load8(i) + ge) * k
                        v.store8(vn, i)
                        let d = nesterov ? ge + mu * vn : vn
                        wp.store8((wi - lr * d) * k, i)
                        i += 8
                    }
                    while i < n {
                        let k: Float = hasMask ? mk[i] : 1
                        let ge = (g[i] + l2 * wp[i]) * k
                        let vn = (mu * v[i] + ge) * k
                        v[i] = vn
                        let d = nesterov ? ge + mu * vn : vn
                        wp[i] = (wp[i] - lr * d) * k
                        i += 1
                    }
                }
            }
        }
    }
}

/// One Adam/AdamW step at 1-based step `t` (PyTorch's formulation):
/// `g' = g + l2Coefficient·w`; `w *= 1 − lr·decoupledDecay` (AdamW); `m = β₁m + (1−β₁)g'`;
/// `v = β₂v + (1−β₂)g'²`; `w -= (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)`.
/// Runs the C kernel `variant` (`ck_adam`: exact √ and division, no FMA, so every variant and
/// thread count gives the same bits), split across `BLAS.threads` for large tensors.
public func adamUpdate(_ w: inout Tensor, grad: Tensor, m: inout Tensor, v: inout Tensor, mask: Tensor?,
                       learningRate lr: Float, beta1: Float, beta2: Float, epsilon: Float, step t: Int,
                       l2Coefficient l2: Float, decoupledDecay wd: Float, variant: KernelVariant = .best) {
    precondition(grad.shape == w.shape, "adamUpdate: gradient \(grad.shape) does not match weights \(w.shape)")
    if let mask { precondition(mask.shape == w.shape, "adamUpdate: mask \(mask.shape) does not match weights \(w.shape)") }
    precondition(t >= 1, "adamUpdate: step must be ≥ 1")
    m.ensureShape(w.shape)
    v.ensureShape(w.shape)
    let n = w.count
    guard n > 0 else { return }
    let bc1 = 1 - Float(pow(Double(beta1), Double(t)))
    let bc2 = 1 - Float(pow(Double(beta2), Double(t)))
    var h = ck_adam_params(beta1: beta1, beta2: beta2, one_minus_beta1: 1 - beta1, one_minus_beta2: 1 - beta2,
                           epsilon: epsilon, step_size: lr / bc1, inv_sqrt_bc2: 1 / bc2.squareRoot(),
                           decay: 1 - lr * wd, l2: l2)
    let cv = variant.c
    withOptionalMask(mask) { mk, hasMask in
        grad.withUnsafeBufferPointer { pg in
            w.withUnsafeMutableBufferPointer { pw in
                m.withUnsafeMutableBufferPointer { pm in
                    v.withUnsafeMutableBufferPointer { pv in
                        let g = pg.baseAddress!, wp = pw.baseAddress!, mp = pm.baseAddress!, vp = pv.baseAddress!
                        withUnsafePointer(to: &h) { hp in
                            WorkerPool.shared.forEachRange(n) { r in
                                let o = r.lowerBound
                                ck_adam(cv, r.count, g + o, wp + o, mp + o, vp + o, hasMask ? mk + o : nil, hp)
                            }
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
