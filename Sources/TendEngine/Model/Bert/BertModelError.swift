/// What a `BertModel` cannot do yet, or a batch it cannot take, in words that say what to do.
public enum BertModelError: Error, Equatable, CustomStringConvertible {
    /// Backward (fine-tuning) is not implemented for the encoder yet.
    case backwardNotSupported
    /// The model takes token batches; it was given numeric features.
    case featuresGiven
    /// The tokens do not fit the model (id outside the vocabulary, too long, empty sequence).
    case badTokens(EncoderInputError)

    public var description: String {
        switch self {
        case .backwardNotSupported:
            "BertModel: backward (fine-tuning) is not supported yet; it lands with issue 14. Serve, embed, inspect or prune the encoder instead"
        case .featuresGiven:
            "BertModel takes token batches (Batch.tokens from the tokenizer), not numeric features"
        case .badTokens(let error):
            "BertModel: \(error)"
        }
    }
}
