import TendTensor

/// Sparsity and size of one parameter tensor.
public struct ParameterSparsity: Sendable, Equatable, Codable {
    public var name: String
    public var shape: [Int]
    public var count: Int
    /// Entries that are 0 (either sign).
    public var zeros: Int
    /// Whether the pruning spec covered this tensor.
    public var eligible: Bool
    public var scheme: SparseStorageScheme
    public var denseBytes: Int
    public var storedBytes: Int

    public var kept: Int { count - zeros }
    /// zeros / count (0 for an empty tensor).
    public var sparsity: Double { count > 0 ? Double(zeros) / Double(count) : 0 }
}

/// Sparsity and storage of a whole model. Byte counts are tensor data only (header excluded).
public struct PruningSummary: Sendable, Equatable, Codable {
    public var parameters: [ParameterSparsity]

    public init(parameters: [ParameterSparsity]) { self.parameters = parameters }

    /// Measures `tensors` (name, value); `eligible` says which ones a spec prunes.
    public init(tensors: [(String, Tensor)], eligible: (String) -> Bool) {
        parameters = tensors.map { name, t in
            let (zeros, nonZeroBits) = t.withUnsafeBufferPointer { p in
                (countZerosIn(p), SparseStorageScheme.nonZeroCount(p))
            }
            let best = SparseStorageScheme.cheapest(shape: t.shape.dims, nonZeros: nonZeroBits)
            return ParameterSparsity(name: name, shape: t.shape.dims, count: t.count, zeros: zeros, eligible: eligible(name),
                                     scheme: best.scheme, denseBytes: 4 * t.count, storedBytes: best.bytes)
        }
    }

    /// Measures `model` with the eligibility of `spec` (weight matrices only when nil).
    public init(model: any Model, spec: PruningSpec? = nil) {
        let eligibleNames = Set(model.parameters.filter { spec?.isEligible($0) ?? ($0.role == .weight) }.map(\.name))
        self.init(tensors: model.namedTensors(), eligible: { eligibleNames.contains($0) })
    }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }
    /// Non-zero parameters.
    public var parametersKept: Int { parameters.reduce(0) { $0 + $1.kept } }
    /// Sparsity over the eligible tensors (what a pruning target refers to).
    public var sparsity: Double {
        let e = parameters.filter(\.eligible)
        let n = e.reduce(0) { $0 + $1.count }
        return n > 0 ? Double(e.reduce(0) { $0 + $1.zeros }) / Double(n) : 0
    }
    /// Sparsity over every parameter.
    public var modelSparsity: Double {
        parameterCount > 0 ? Double(parameterCount - parametersKept) / Double(parameterCount) : 0
    }
    public var denseBytes: Int { parameters.reduce(0) { $0 + $1.denseBytes } }
    /// Bytes with each tensor in its cheapest sparse scheme.
    public var storedBytes: Int { parameters.reduce(0) { $0 + $1.storedBytes } }
}

func countZerosIn(_ p: UnsafeBufferPointer<Float>) -> Int {
    var z = 0
    for v in p where v == 0 { z += 1 }
    return z
}
