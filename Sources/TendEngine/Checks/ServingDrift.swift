import TendTensor

/// Bins of one reference column, fixed once: the same edges and expected shares as
/// `populationStabilityIndex(expected:actual:bins:epsilon:)` computes, so a live check over many
/// windows sorts the reference only once.
public struct PSIBinning: Sendable, Equatable {
    /// Interior boundaries (bin i holds edges[i-1] <= x < edges[i]).
    public var edges: [Double]
    public var expectedShares: [Double]
    public var epsilon: Double

    public init(reference: [Double], bins: Int = 10, epsilon: Double = 1e-4) {
        precondition(bins >= 2, "PSIBinning: bins must be at least 2, got \(bins)")
        let ref = reference.filter(\.isFinite).sorted()
        var edges: [Double] = []
        if !ref.isEmpty {
            for i in 1..<bins {
                let q = ref[min(ref.count - 1, i * ref.count / bins)]
                if edges.last.map({ q > $0 }) ?? true { edges.append(q) }
            }
        }
        self.edges = edges
        self.epsilon = epsilon
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for x in ref { counts[binIndex(x, edges)] += 1 }
        expectedShares = ref.isEmpty ? [] : counts.map { Double($0) / Double(ref.count) }
    }

    /// PSI of `actual` against the reference (0 when either side has no finite value).
    public func psi<C: Collection>(_ actual: C) -> Double where C.Element == Double {
        guard !expectedShares.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: edges.count + 1)
        var n = 0
        for x in actual where x.isFinite { counts[binIndex(x, edges)] += 1; n += 1 }
        guard n > 0 else { return 0 }
        var psi = 0.0
        for i in 0..<counts.count {
            let e = max(expectedShares[i], epsilon), a = max(Double(counts[i]) / Double(n), epsilon)
            psi += (a - e) * _ln(a / e)
        }
        return psi
    }
}

/// Drift of served requests against the training data: PSI per feature (binned on a reference sample of
/// the training split) and PSI of the predicted-class distribution (served predictions against the
/// model's predictions on the same reference sample).
public struct ServingDriftReference: Sendable {
    /// Reference rows [n, features] (a deterministic stride sample of the training split).
    public let sample: Tensor
    public let featureNames: [String]
    public let classes: Int
    public let binnings: [PSIBinning]

    /// `training` must be normalised as the served data is; keeps at most `maxRows` rows (every k-th).
    public init(training: Dataset, maxRows: Int = 2000, bins: Int = 10) {
        precondition(training.count > 0 && maxRows > 0, "ServingDriftReference: empty training data")
        let n = training.count, d = training.featureCount
        let stride = max(1, (n + maxRows - 1) / maxRows)
        let picked = Swift.stride(from: 0, to: n, by: stride).map { $0 }
        let x = training.features.storage
        var values: [Float] = []
        values.reserveCapacity(picked.count * d)
        for i in picked { values.append(contentsOf: x[(i * d)..<(i * d + d)]) }
        sample = Tensor(shape: [picked.count, d], storage: values)
        featureNames = training.featureNames
        classes = training.classes
        binnings = (0..<d).map { j in PSIBinning(reference: picked.indices.map { Double(values[$0 * d + j]) }, bins: bins) }
    }

    /// What a drift check found. `features` is in column order.
    public struct Report: Sendable, Equatable {
        public var features: [(name: String, psi: Double)]
        /// PSI of predicted classes; nil without reference predictions.
        public var prediction: Double?
        /// Served rows the figures are computed on.
        public var rows: Int
        public var worst: (name: String, psi: Double)? { features.max { $0.psi < $1.psi } }

        public static func == (a: Report, b: Report) -> Bool {
            a.rows == b.rows && a.prediction == b.prediction
                && a.features.map(\.name) == b.features.map(\.name) && a.features.map(\.psi) == b.features.map(\.psi)
        }
    }

    /// PSI of the served rows (`rows` index `served`, which has the reference's columns) per feature, and
    /// of `predictions` against `referencePredictions` (one bin per class) when given.
    public func report(served: Dataset, rows: [Int], predictions: [Int], referencePredictions: [Int]?) -> Report {
        precondition(served.featureCount == binnings.count,
                     "served data has \(served.featureCount) features, the reference \(binnings.count)")
        let d = binnings.count
        let features: [(name: String, psi: Double)] = served.features.storage.withUnsafeBufferPointer { x in
            (0..<d).map { j in (featureNames[j], binnings[j].psi(rows.lazy.map { Double(x[$0 * d + j]) })) }
        }
        let prediction = referencePredictions.map { predictionPSI(expected: $0, actual: predictions, classes: max(classes, 1)) }
        return Report(features: features, prediction: prediction, rows: rows.count)
    }
}
