import TendTensor

/// Word + absolute position + token type embeddings followed by LayerNorm (Hugging Face `BertEmbeddings`).
/// The tables are held once as `WeightStorage` (read in place from a mapped f32 file when loaded from one);
/// `word`, `position` and `tokenType` materialise them as tensors on demand (copies).
public struct BertEmbeddings: Sendable {
    /// [vocab, hidden]
    public var wordStorage: WeightStorage
    /// [max positions, hidden]
    public var positionStorage: WeightStorage
    /// [type vocab, hidden]
    public var tokenTypeStorage: WeightStorage
    public var norm: NormParameters

    /// [vocab, hidden] (a copy; setting copies too)
    public var word: Tensor {
        get { wordStorage.tensor }
        set { wordStorage = WeightStorage(copying: newValue) }
    }
    /// [max positions, hidden] (a copy; setting copies too)
    public var position: Tensor {
        get { positionStorage.tensor }
        set { positionStorage = WeightStorage(copying: newValue) }
    }
    /// [type vocab, hidden] (a copy; setting copies too)
    public var tokenType: Tensor {
        get { tokenTypeStorage.tensor }
        set { tokenTypeStorage = WeightStorage(copying: newValue) }
    }

    public init(config: BertConfig) {
        wordStorage = WeightStorage(zeros: Shape([config.vocabularySize, config.hiddenSize]))
        positionStorage = WeightStorage(zeros: Shape([config.maxPositions, config.hiddenSize]))
        tokenTypeStorage = WeightStorage(zeros: Shape([config.typeVocabularySize, config.hiddenSize]))
        norm = NormParameters(size: config.hiddenSize)
    }

    /// Fills the workspace's hidden state for its packed tokens.
    func forward(_ ws: EncoderWorkspace, epsilon: Float) {
        let h = wordStorage.shape[1], tokens = ws.tokens
        let out = ws.hidden.p
        withPointers([norm.weight, norm.bias]) { n in
            let p = [wordStorage.pointer, positionStorage.pointer, tokenTypeStorage.pointer, n[0], n[1]]
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
