import TendTensor

// Token inputs (`TokenBatch`) are defined with the tokenizer, in Text/TokenBatch.swift.

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
