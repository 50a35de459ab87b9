import TendTensor

/// Token inputs of a sequence model: `batch × length` ids, row-major, padded to the longest
/// sequence of the batch. `typeIds` are segment ids (0 for single texts); `attentionMask` is 1 for
/// real tokens and 0 for padding. Invariant: all three arrays hold `batch * length` entries.
public struct TokenBatch: Sendable, Equatable {
    public var batch: Int
    public var length: Int
    public var ids: [Int32]
    public var typeIds: [Int32]
    public var attentionMask: [Int32]

    public init(batch: Int, length: Int, ids: [Int32], typeIds: [Int32]? = nil, attentionMask: [Int32]? = nil) {
        precondition(batch >= 0 && length >= 0 && ids.count == batch * length,
                     "TokenBatch: \(ids.count) ids for \(batch) × \(length)")
        self.batch = batch; self.length = length; self.ids = ids
        self.typeIds = typeIds ?? [Int32](repeating: 0, count: ids.count)
        self.attentionMask = attentionMask ?? [Int32](repeating: 1, count: ids.count)
        precondition(self.typeIds.count == ids.count && self.attentionMask.count == ids.count,
                     "TokenBatch: type ids and attention mask must have \(ids.count) entries")
    }
}

/// One input to a `Model`: numeric features [rows, inputs] (the mlp family) or token ids with masks
/// (sequence models). A model states which it takes; giving it the other is a programming error.
public enum Batch: Sendable, Equatable {
    case features(Tensor)
    case tokens(TokenBatch)

    /// Examples in the batch (rows of the features, sequences of the tokens).
    public var count: Int {
        switch self {
        case .features(let x): x.rank == 2 ? x.rows : 0
        case .tokens(let t): t.batch
        }
    }

    /// The feature matrix; stops with a message naming `model` for a token batch.
    public func featureMatrix(for model: String) -> Tensor {
        guard case .features(let x) = self else { preconditionFailure("\(model) takes numeric features, not tokens") }
        return x
    }
}
