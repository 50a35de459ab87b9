import TendTensor

/// Word + absolute position + token type embeddings followed by LayerNorm (Hugging Face `BertEmbeddings`).
public struct BertEmbeddings: Sendable {
    /// [vocab, hidden]
    public var word: Tensor
    /// [max positions, hidden]
    public var position: Tensor
    /// [type vocab, hidden]
    public var tokenType: Tensor
    public var norm: NormParameters

    public init(config: BertConfig) {
        word = Tensor(shape: Shape([config.vocabularySize, config.hiddenSize]))
        position = Tensor(shape: Shape([config.maxPositions, config.hiddenSize]))
        tokenType = Tensor(shape: Shape([config.typeVocabularySize, config.hiddenSize]))
        norm = NormParameters(size: config.hiddenSize)
    }

    /// Fills the workspace's hidden state for its packed tokens.
    func forward(_ ws: EncoderWorkspace, epsilon: Float) {
        let h = word.shape[1], tokens = ws.tokens
        let out = ws.hidden.p
        withPointers([word, position, tokenType, norm.weight, norm.bias]) { p in
            ws.ids.withUnsafeBufferPointer { ids in
                ws.types.withUnsafeBufferPointer { types in
                    ws.positions.withUnsafeBufferPointer { positions in
                        Parallel.forRanges(tokens, costPerItem: h * 8) { range in
                            for t in range {
                                let dst = out + t * h
                                dst.update(from: p[0] + Int(ids[t]) * h, count: h)
                                addInPlace(dst, p[1] + Int(positions[t]) * h, count: h)
                                addInPlace(dst, p[2] + Int(types[t]) * h, count: h)
                            }
                            layerNormRowsInPlace(out + range.lowerBound * h, rows: range.count, cols: h,
                                                 gamma: p[3], beta: p[4], epsilon: epsilon)
                        }
                    }
                }
            }
        }
    }
}
