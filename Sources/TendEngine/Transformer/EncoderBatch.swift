/// A padded batch of token ids for the encoder, row-major [batch, length].
/// Invariant: `ids`, `typeIDs` and `attentionMask` all hold `batch · length` values; mask 1 = token, 0 = padding.
public struct EncoderBatch: Sendable, Equatable {
    public var batch: Int
    public var length: Int
    public var ids: [Int32]
    public var typeIDs: [Int32]
    public var attentionMask: [Int32]

    public init(batch: Int, length: Int, ids: [Int32], typeIDs: [Int32]? = nil, attentionMask: [Int32]? = nil) {
        precondition(ids.count == batch * length, "EncoderBatch: \(ids.count) ids for [\(batch), \(length)]")
        self.batch = batch
        self.length = length
        self.ids = ids
        self.typeIDs = typeIDs ?? [Int32](repeating: 0, count: ids.count)
        self.attentionMask = attentionMask ?? [Int32](repeating: 1, count: ids.count)
        precondition(self.typeIDs.count == ids.count && self.attentionMask.count == ids.count,
                     "EncoderBatch: type ids / mask do not match [\(batch), \(length)]")
    }

    /// Real tokens (mask 1) of sequence `b`.
    public func realLength(_ b: Int) -> Int {
        var n = 0
        for p in 0..<length where attentionMask[b * length + p] != 0 { n += 1 }
        return n
    }
}

/// Why a batch cannot be encoded.
public enum EncoderInputError: Error, Equatable, CustomStringConvertible {
    case tokenOutOfRange(sequence: Int, position: Int, id: Int32, vocabularySize: Int)
    case typeOutOfRange(sequence: Int, position: Int, type: Int32, typeVocabularySize: Int)
    case tooLong(sequence: Int, length: Int, maxPositions: Int)
    case emptySequence(sequence: Int)

    public var description: String {
        switch self {
        case let .tokenOutOfRange(s, p, id, v): return "sequence \(s), position \(p): token id \(id) is outside the vocabulary (0..<\(v))"
        case let .typeOutOfRange(s, p, t, v): return "sequence \(s), position \(p): token type \(t) is outside 0..<\(v)"
        case let .tooLong(s, n, m): return "sequence \(s) has \(n) positions; the model has \(m) (truncate to --max-length \(m) or less)"
        case let .emptySequence(s): return "sequence \(s) has no tokens (attention mask all 0)"
        }
    }
}
