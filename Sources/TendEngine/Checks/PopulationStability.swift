/// Population stability index of one feature: how far `actual` has moved from `expected`.
/// `edges` are the bin boundaries (quantiles of the reference); `bins` the per-bin shares.
public struct PSIResult: Sendable, Equatable {
    public var psi: Double
    /// Interior boundaries: bin i holds x with edges[i-1] <= x < edges[i] (first bin open below, last above).
    public var edges: [Double]
    public var expectedShares: [Double]
    public var actualShares: [Double]
}

/// PSI = Σ_i (a_i − e_i) · ln(a_i / e_i) over bins whose boundaries are the 1/bins … (bins−1)/bins
/// quantiles of `expected` (so each bin holds about 1/bins of the reference). Duplicate boundaries (a
/// discrete feature) are merged: a constant reference c gives two bins, x < c and x ≥ c. A share of 0 is
/// replaced by `epsilon` (default 1e-4) before the logarithm so empty bins give a large finite term.
/// Non-finite values are ignored. Rule of thumb: < 0.1 stable, 0.1–0.25 moderate, > 0.25 major shift.
public func populationStabilityIndex(expected: [Double], actual: [Double], bins: Int = 10, epsilon: Double = 1e-4) -> PSIResult {
    precondition(bins >= 2, "populationStabilityIndex: bins must be at least 2, got \(bins)")
    let ref = expected.filter(\.isFinite).sorted()
    let cur = actual.filter(\.isFinite)
    guard !ref.isEmpty, !cur.isEmpty else { return PSIResult(psi: 0, edges: [], expectedShares: [], actualShares: []) }
    var edges: [Double] = []
    for i in 1..<bins {
        // The value at rank ⌊i·n/bins⌋ of the sorted reference: i/bins of the reference lies below it.
        let q = ref[min(ref.count - 1, i * ref.count / bins)]
        if edges.last.map({ q > $0 }) ?? true { edges.append(q) }
    }
    func shares(_ xs: [Double]) -> [Double] {
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for x in xs { counts[binIndex(x, edges)] += 1 }
        return counts.map { Double($0) / Double(xs.count) }
    }
    let e = shares(ref), a = shares(cur)
    var psi = 0.0
    for i in 0..<e.count {
        let ei = max(e[i], epsilon), ai = max(a[i], epsilon)
        psi += (ai - ei) * _ln(ai / ei)
    }
    return PSIResult(psi: psi, edges: edges, expectedShares: e, actualShares: a)
}

/// Number of edges <= x (binary search): the bin of x.
@inline(__always) func binIndex(_ x: Double, _ edges: [Double]) -> Int {
    var lo = 0, hi = edges.count
    while lo < hi { let mid = (lo + hi) / 2; if edges[mid] <= x { lo = mid + 1 } else { hi = mid } }
    return lo
}

/// PSI per feature of two tables with the same columns ([rows, columns] row-major values).
public func featurePSI(reference: [Double], current: [Double], columns: Int, bins: Int = 10, epsilon: Double = 1e-4) -> [PSIResult] {
    precondition(columns > 0 && reference.count % columns == 0 && current.count % columns == 0,
                 "featurePSI: value counts must be multiples of \(columns) columns")
    let nr = reference.count / columns, nc = current.count / columns
    return (0..<columns).map { j in
        populationStabilityIndex(expected: (0..<nr).map { reference[$0 * columns + j] },
                                 actual: (0..<nc).map { current[$0 * columns + j] }, bins: bins, epsilon: epsilon)
    }
}

/// PSI of two class-label distributions (one bin per class; `classes` bins).
public func predictionPSI(expected: [Int], actual: [Int], classes: Int, epsilon: Double = 1e-4) -> Double {
    guard !expected.isEmpty, !actual.isEmpty, classes > 0 else { return 0 }
    var e = [Double](repeating: 0, count: classes), a = e
    for c in expected where c >= 0 && c < classes { e[c] += 1 }
    for c in actual where c >= 0 && c < classes { a[c] += 1 }
    var psi = 0.0
    for i in 0..<classes {
        let ei = max(e[i] / Double(expected.count), epsilon), ai = max(a[i] / Double(actual.count), epsilon)
        psi += (ai - ei) * _ln(ai / ei)
    }
    return psi
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _ln(_ x: Double) -> Double { Glibc.log(x) }
#else
import Darwin
@inline(__always) func _ln(_ x: Double) -> Double { Darwin.log(x) }
#endif
