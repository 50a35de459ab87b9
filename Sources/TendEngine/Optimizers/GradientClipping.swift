import TendTensor

/// Scales every gradient by `maxNorm / norm` when the global L2 norm `√(Σ‖g‖²)` over all
/// parameters exceeds `maxNorm`. Returns the norm before clipping.
@discardableResult
public func clipGradientsByGlobalNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var s = 0.0
    for p in parameters { s += sumOfSquares(p.grad) }
    let norm = s.squareRoot()
    if norm > Double(maxNorm), norm > 0 {
        let factor = Float(Double(maxNorm) / norm)
        for p in parameters { scale(&p.grad, by: factor) }
    }
    return Float(norm)
}
