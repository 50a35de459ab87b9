import TendTensor

/// One row found in two splits: its index in each (0-based within the split) and the split names.
public struct DuplicateRow: Sendable, Equatable, Codable {
    public var split: String, row: Int
    public var otherSplit: String, otherRow: Int
}

/// A feature that alone predicts the label: `score` is the better of the best single-threshold accuracy
/// and (for columns with at most `LeakageReport.maxDistinctForLookup` distinct values) the per-value
/// majority accuracy, measured on the given rows.
public struct LeakyFeature: Sendable, Equatable, Codable {
    public var column: String
    public var score: Double
    /// "threshold" or "per-value".
    public var method: String
}

/// What `checkLeakage` finds before training: rows whose feature bytes occur in more than one split
/// (validation/test rows also in train, test rows also in validation), and features scoring ≥ `minScore`.
public struct LeakageReport: Sendable, Equatable, Codable {
    /// Validation and test rows whose exact features also occur in an earlier split.
    public var duplicateCount: Int
    /// Up to `maxExamples` of them.
    public var duplicates: [DuplicateRow]
    /// Every feature's best single-feature score, highest first (the leaky ones are those ≥ minScore).
    public var featureScores: [LeakyFeature]
    public var minScore: Double

    public var leakyFeatures: [LeakyFeature] { featureScores.filter { $0.score >= minScore } }

    public static let maxDistinctForLookup = 50
    public static let maxExamples = 10
}

/// Checks a split for leakage: exact duplicates across splits (FNV-1a hashing of each row's Float
/// bytes, confirmed by comparing the bytes) and single features predicting the label (scored on train).
public func checkLeakage(_ split: DataSplit, minScore: Double = 0.99) -> LeakageReport {
    let parts: [(String, Dataset)] = [("train", split.train), ("validation", split.validation), ("test", split.test)]
    var seen: [UInt64: [(Int, Int)]] = [:]   // hash → (part, row)
    var count = 0
    var examples: [DuplicateRow] = []
    for (p, (name, ds)) in parts.enumerated() {
        let d = ds.featureCount
        ds.features.storage.withUnsafeBufferPointer { x in
            for r in 0..<ds.count {
                let row = UnsafeBufferPointer(rebasing: x[(r * d)..<((r + 1) * d)])
                let h = fnv1a(row)
                if let prior = seen[h]?.first(where: { $0.0 != p && equalRows(parts[$0.0].1, $0.1, row) }) {
                    count += 1
                    if examples.count < LeakageReport.maxExamples {
                        examples.append(DuplicateRow(split: name, row: r, otherSplit: parts[prior.0].0, otherRow: prior.1))
                    }
                }
                seen[h, default: []].append((p, r))
            }
        }
    }
    let scores = (0..<split.train.featureCount).map { singleFeatureScore(split.train, column: $0) }
        .sorted { $0.score > $1.score }
    return LeakageReport(duplicateCount: count, duplicates: examples, featureScores: scores, minScore: minScore)
}

/// Best accuracy of predicting the label from column `j` alone.
public func singleFeatureScore(_ ds: Dataset, column j: Int) -> LeakyFeature {
    let d = ds.featureCount, n = ds.count, k = max(ds.classes, 1)
    let name = j < ds.featureNames.count ? ds.featureNames[j] : "x\(j)"
    guard n > 0 else { return LeakyFeature(column: name, score: 0, method: "threshold") }
    let pairs = ds.features.storage.withUnsafeBufferPointer { x in (0..<n).map { (x[$0 * d + j], ds.labels[$0]) } }
        .sorted { $0.0 < $1.0 }
    // Per-value majority (few distinct values only, or every row would be its own perfect group).
    var best = LeakyFeature(column: name, score: 0, method: "threshold")
    var distinct = 0
    var i = 0, correct = 0
    while i < n {
        var counts = [Int](repeating: 0, count: k)
        var e = i
        while e < n && pairs[e].0 == pairs[i].0 { counts[min(max(pairs[e].1, 0), k - 1)] += 1; e += 1 }
        correct += counts.max() ?? 0
        distinct += 1
        i = e
    }
    if distinct <= LeakageReport.maxDistinctForLookup && distinct < n {
        best = LeakyFeature(column: name, score: Double(correct) / Double(n), method: "per-value")
    }
    // Best single threshold: left side predicts its majority class, right side its own.
    var left = [Int](repeating: 0, count: k), right = [Int](repeating: 0, count: k)
    for p in pairs { right[min(max(p.1, 0), k - 1)] += 1 }
    var bestThreshold = (right.max() ?? 0)
    i = 0
    while i < n {
        var e = i
        while e < n && pairs[e].0 == pairs[i].0 { let c = min(max(pairs[e].1, 0), k - 1); left[c] += 1; right[c] -= 1; e += 1 }
        bestThreshold = max(bestThreshold, (left.max() ?? 0) + (right.max() ?? 0))
        i = e
    }
    let t = Double(bestThreshold) / Double(n)
    if t > best.score { best = LeakyFeature(column: name, score: t, method: "threshold") }
    return best
}

@inline(__always) func fnv1a(_ row: UnsafeBufferPointer<Float>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for v in row {
        var bits = (v == 0 ? Float(0) : v).bitPattern   // -0 and +0 hash alike
        for _ in 0..<4 { h = (h ^ UInt64(bits & 0xFF)) &* 0x0000_0100_0000_01B3; bits >>= 8 }
    }
    return h
}

func equalRows(_ ds: Dataset, _ r: Int, _ row: UnsafeBufferPointer<Float>) -> Bool {
    let d = ds.featureCount
    return ds.features.storage.withUnsafeBufferPointer { x in
        for j in 0..<d where x[r * d + j] != row[j] { return false }
        return true
    }
}
