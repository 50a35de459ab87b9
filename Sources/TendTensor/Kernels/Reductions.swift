/// Whole-tensor reductions. Accumulation runs in eight SIMD lanes of Float per block of 8 and is
/// then summed in Double, so results are accurate to Float rounding of the partial sums.

@inline(__always)
private func reduce(_ p: UnsafeBufferPointer<Float>, _ f: (SIMD8<Float>) -> SIMD8<Float>, _ g: (Float) -> Float) -> Double {
    let n = p.count
    guard n > 0, let base = p.baseAddress else { return 0 }
    let raw = UnsafeRawPointer(base)
    var total = 0.0
    var i = 0
    // Blocks of 4096 elements keep Float lane sums short before they are folded into Double.
    while i + 8 <= n {
        var acc = SIMD8<Float>(repeating: 0)
        let end = Swift.min(n - (n - i) % 8, i + 4096)
        while i < end {
            acc += f(raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self))
            i += 8
        }
        total += Double(acc.sum())
    }
    while i < n { total += Double(g(base[i])); i += 1 }
    return total
}

/// Σ xᵢ.
public func sum(_ x: Tensor) -> Double {
    x.withUnsafeBufferPointer { reduce($0, { $0 }, { $0 }) }
}

/// Σ xᵢ².
public func sumOfSquares(_ x: Tensor) -> Double {
    x.withUnsafeBufferPointer { reduce($0, { $0 * $0 }, { $0 * $0 }) }
}

/// Number of entries equal to zero (for sparsity reports).
public func zeroCount(_ x: Tensor) -> Int {
    x.withUnsafeBufferPointer { p in
        var c = 0
        for v in p where v == 0 { c += 1 }
        return c
    }
}
