import TendCore
import TendTensor

/// Fractions of a data set given to training, validation and test. Invariant: each ≥ 0, sum ≤ 1 (+ε).
public struct SplitFractions: Codable, Sendable, Equatable {
    public var train: Double, validation: Double, test: Double
    public init(train: Double = 0.7, validation: Double = 0.15, test: Double = 0.15) {
        precondition(train > 0 && validation >= 0 && test >= 0 && train + validation + test <= 1.000_001,
                     "SplitFractions: \(train)/\(validation)/\(test) must be non-negative and sum to at most 1")
        self.train = train; self.validation = validation; self.test = test
    }
}

/// A deterministic shuffled split of one data set. The same seed always gives the same rows.
public struct DataSplit: Sendable {
    public var train: Dataset
    public var validation: Dataset
    public var test: Dataset
    /// Row indices into the source data set of each part.
    public var trainIndices: [Int], validationIndices: [Int], testIndices: [Int]

    public init(_ data: Dataset, fractions: SplitFractions = SplitFractions(), seed: UInt64) {
        var order = Array(0..<data.count)
        var rng = SeededGenerator(seed: seed ^ 0x5EED_5B11_7000_0000)
        rng.shuffle(&order)
        let nTest = Int((Double(data.count) * fractions.test).rounded())
        let nVal = Int((Double(data.count) * fractions.validation).rounded())
        let nTrain = min(data.count - nTest - nVal, Int((Double(data.count) * fractions.train).rounded()))
        trainIndices = Array(order[0..<nTrain])
        validationIndices = Array(order[nTrain..<(nTrain + nVal)])
        testIndices = Array(order[(nTrain + nVal)..<(nTrain + nVal + nTest)])
        train = data.subset(trainIndices)
        validation = data.subset(validationIndices)
        test = data.subset(testIndices)
    }
}
