/// Layer normalisation over the last dimension of a [batch, features] tensor, forward/backward.
/// Forward keeps `xhat` ((x − mean) · rstd) and `rstd` (1/√(var + eps), biased variance) per row for
/// the backward pass.

/// `y = gamma ⊙ xhat + beta`; fills `xhat` [B, F] and `rstd` [B] (reshaped if needed).
public func layerNormForward(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                             into y: inout Tensor, xhat: inout Tensor, rstd: inout Tensor) {
    let rows = x.rows, cols = x.cols
    precondition(gamma.count == cols && beta.count == cols, "layerNorm: gamma/beta have \(gamma.count)/\(beta.count) values for \(cols) features")
    y.ensureShape(x.shape)
    xhat.ensureShape(x.shape)
    rstd.ensureShape(Shape([rows]))
    guard rows > 0, cols > 0 else { return }
    let invF = 1 / Float(cols)
    x.withUnsafeBufferPointer { px in
        gamma.withUnsafeBufferPointer { pg in
            beta.withUnsafeBufferPointer { pb in
                y.withUnsafeMutableBufferPointer { py in
                    xhat.withUnsafeMutableBufferPointer { ph in
                        rstd.withUnsafeMutableBufferPointer { pr in
                            let g = pg.baseAddress!, b = pb.baseAddress!
                            for r in 0..<rows {
                                let src = px.baseAddress! + r * cols
                                let h = ph.baseAddress! + r * cols
                                let dst = py.baseAddress! + r * cols
                                var s: Float = 0
                                for j in 0..<cols { s += src[j] }
                                let mean = s * invF
                                var q: Float = 0
                                for j in 0..<cols { let d = src[j] - mean; q += d * d }
                                let rs = 1 / (q * invF + epsilon).squareRoot()
                                pr[r] = rs
                                for j in 0..<cols {
                                    let v = (src[j] - mean) * rs
                                    h[j] = v
                                    dst[j] = g[j] * v + b[j]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Gradients of layer normalisation. Overwrites `gradGamma`, `gradBeta` ([F]) and `gradInput` ([B, F]):
/// `dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂))` with `dx̂ = g ⊙ gamma`.
public func layerNormBackward(gradOutput gOut: Tensor, xhat: Tensor, rstd: Tensor, gamma: Tensor,
                              gradInput: inout Tensor, gradGamma: inout Tensor, gradBeta: inout Tensor) {
    let rows = gOut.rows, cols = gOut.cols
    precondition(xhat.shape == gOut.shape, "layerNormBackward: gradient \(gOut.shape) does not match saved activations \(xhat.shape)")
    gradInput.ensureShape(gOut.shape)
    gradGamma.ensureShape(gamma.shape)
    gradBeta.ensureShape(gamma.shape)
    gradGamma.fill(0)
    gradBeta.fill(0)
    guard rows > 0, cols > 0 else { return }
    let invF = 1 / Float(cols)
    gOut.withUnsafeBufferPointer { pgo in
        xhat.withUnsafeBufferPointer { ph in
            rstd.withUnsafeBufferPointer { pr in
                gamma.withUnsafeBufferPointer { pga in
                    gradInput.withUnsafeMutableBufferPointer { pdx in
                        gradGamma.withUnsafeMutableBufferPointer { pdg in
                            gradBeta.withUnsafeMutableBufferPointer { pdb in
                                let ga = pga.baseAddress!, dg = pdg.baseAddress!, db = pdb.baseAddress!
                                for r in 0..<rows {
                                    let g = pgo.baseAddress! + r * cols
                                    let h = ph.baseAddress! + r * cols
                                    let dx = pdx.baseAddress! + r * cols
                                    var s1: Float = 0, s2: Float = 0
                                    for j in 0..<cols {
                                        let d = g[j] * ga[j]
                                        s1 += d
                                        s2 += d * h[j]
                                        dg[j] += g[j] * h[j]
                                        db[j] += g[j]
                                    }
                                    let m1 = s1 * invF, m2 = s2 * invF, rs = pr[r]
                                    for j in 0..<cols { dx[j] = rs * (g[j] * ga[j] - m1 - h[j] * m2) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
