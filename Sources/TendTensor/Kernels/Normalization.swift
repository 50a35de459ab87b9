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
                                let mean = rowSum(src, cols) * invF
                                let q = rowSumSquaredDeviation(src, cols, mean)
                                let rs = 1 / (q * invF + epsilon).squareRoot()
                                pr[r] = rs
                                var j = 0
                                while j + 8 <= cols {
                                    let v = (src.load8(j) - mean) * rs
                                    h.store8(v, j)
                                    dst.store8(g.load8(j) * v + b.load8(j), j)
                                    j += 8
                                }
                                while j < cols {
                                    let v = (src[j] - mean) * rs
                                    h[j] = v
                                    dst[j] = g[j] * v + b[j]
                                    j += 1
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
                                    var a1 = F8(repeating: 0), a2 = F8(repeating: 0)
                                    var s1: Float = 0, s2: Float = 0
                                    var j = 0
                                    while j + 8 <= cols {
                                        let gj = g.load8(j), hj = h.load8(j)
                                        let d = gj * ga.load8(j)
                                        a1 += d
                                        a2 += d * hj
                                        dg.store8(dg.load8(j) + gj * hj, j)
                                        db.store8(db.load8(j) + gj, j)
                                        j += 8
                                    }
                                    while j < cols {
                                        let d = g[j] * ga[j]
                                        s1 += d
                                        s2 += d * h[j]
                                        dg[j] += g[j] * h[j]
                                        db[j] += g[j]
                                        j += 1
                                    }
                                    s1 += a1.sum()
                                    s2 += a2.sum()
                                    let m1 = s1 * invF, m2 = s2 * invF, rs = pr[r]
                                    j = 0
                                    while j + 8 <= cols {
                                        dx.store8(rs * (g.load8(j) * ga.load8(j) - m1 - h.load8(j) * m2), j)
                                        j += 8
                                    }
                                    while j < cols { dx[j] = rs * (g[j] * ga[j] - m1 - h[j] * m2); j += 1 }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

@inline(__always)
func rowSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = F8(repeating: 0)
    var j = 0
    while j + 8 <= n { acc += p.load8(j); j += 8 }
    var s = acc.sum()
    while j < n { s += p[j]; j += 1 }
    return s
}

@inline(__always)
func rowSumSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, _ mean: Float) -> Float {
    var acc = F8(repeating: 0)
    var j = 0
    while j + 8 <= n { let d = p.load8(j) - mean; acc += d * d; j += 8 }
    var s = acc.sum()
    while j < n { let d = p[j] - mean; s += d * d; j += 1 }
    return s
}
