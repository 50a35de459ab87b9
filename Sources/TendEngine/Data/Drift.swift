import TendCore
import TendTensor

/// Makes a drifted copy of a data set, as production inputs drift away from training data:
/// every feature j becomes `x + std_j · (shift + noise · N(0,1))`, clamped to the column's observed
/// range and rounded to integers when the source column is integral (so pixel counts stay counts). Labels are unchanged. Deterministic for a seed.
public func driftedCopy(of data: Dataset, shift: Float = 0.5, noise: Float = 0.5, seed: UInt64) -> Dataset {
    let n = data.count, d = data.featureCount
    var g = SeededGenerator(seed: seed ^ 0xD21F_7000)
    var mean = [Double](repeating: 0, count: d), sq = [Double](repeating: 0, count: d)
    var lo = [Float](repeating: .infinity, count: d), hi = [Float](repeating: -.infinity, count: d)
    var integral = [Bool](repeating: true, count: d)
    let x = data.features.storage
    for i in 0..<n {
        for j in 0..<d {
            let v = x[i * d + j]
            mean[j] += Double(v); lo[j] = min(lo[j], v); hi[j] = max(hi[j], v)
            if v != v.rounded() { integral[j] = false }
        }
    }
    for j in 0..<d { mean[j] /= Double(max(n, 1)) }
    for i in 0..<n { for j in 0..<d { let v = Double(x[i * d + j]) - mean[j]; sq[j] += v * v } }
    let std = (0..<d).map { Float((sq[$0] / Double(max(n, 1))).squareRoot()) }
    var out = x
    for i in 0..<n {
        for j in 0..<d {
            var v = x[i * d + j] + std[j] * (shift + noise * g.nextGaussian())
            v = min(max(v, lo[j]), hi[j])
            out[i * d + j] = integral[j] ? v.rounded() : v
        }
    }
    return Dataset(features: Tensor(shape: [n, d], storage: out), labels: data.labels,
                   classes: data.classes, featureNames: data.featureNames)
}
