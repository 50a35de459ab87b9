import TendTensor

extension EncoderBatch {
    /// The encoder's input for a tokenizer batch (same ids, type ids and mask).
    public init(_ tokens: TokenBatch) {
        self.init(batch: tokens.batch, length: tokens.length, ids: tokens.ids, typeIDs: tokens.typeIDs, attentionMask: tokens.attentionMask)
    }
}

/// Texts to sentence embeddings: WordPiece tokenizer + encoder + the encoder's pooling/normalisation,
/// in chunks of `chunkSize` texts so the workspaces stay small whatever the number of texts.
public struct SentenceEmbedder {
    public let tokenizer: WordPieceTokenizer
    public let encoder: BertEncoder
    public var chunkSize = 32

    public init(tokenizer: WordPieceTokenizer, encoder: BertEncoder) {
        self.tokenizer = tokenizer
        self.encoder = encoder
    }

    /// Embeddings of `texts`, with each text's token ids.
    public struct Result {
        /// [texts, hidden]
        public var vectors: Tensor
        public var tokenIDs: [[Int32]]
        /// Texts cut to `maxLength` tokens.
        public var truncatedCount: Int
    }

    public func embed(_ texts: [String], maxLength: Int) throws(EncoderInputError) -> Result {
        let h = encoder.config.hiddenSize
        var vectors = [Float]()
        vectors.reserveCapacity(texts.count * h)
        var ids: [[Int32]] = []
        var truncated = 0
        var out = Tensor.empty
        var start = 0
        while start < texts.count {
            let chunk = Array(texts[start..<min(texts.count, start + chunkSize)])
            let tokens = tokenizer.encodeBatch(chunk, maxLength: maxLength)
            try encoder.encode(EncoderBatch(tokens), into: &out)
            vectors += out.storage
            for r in 0..<tokens.batch { ids.append(Array(tokens.row(r))) }
            truncated += tokens.truncatedCount
            start += chunk.count
        }
        return Result(vectors: Tensor(shape: Shape([texts.count, h]), storage: vectors), tokenIDs: ids, truncatedCount: truncated)
    }

    /// Cosine similarity between every pair of rows of `vectors` [n, d].
    public static func cosineMatrix(_ vectors: Tensor) -> [[Double]] {
        let n = vectors.rows, d = vectors.cols
        let norms = (0..<n).map { i in (0..<d).reduce(0.0) { $0 + Double(vectors[i, $1]) * Double(vectors[i, $1]) }.squareRoot() }
        return (0..<n).map { i in
            (0..<n).map { j in
                let dot = (0..<d).reduce(0.0) { $0 + Double(vectors[i, $1]) * Double(vectors[j, $1]) }
                return dot / max(norms[i] * norms[j], 1e-300)
            }
        }
    }
}
