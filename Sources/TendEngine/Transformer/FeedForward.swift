import TendTensor

/// The position-wise feed-forward block with its residual + LayerNorm (Hugging Face `intermediate.dense`,
/// `output.dense`, `output.LayerNorm`): hidden ← LN(hidden + act(hidden W1ᵀ + b1) W2ᵀ + b2).
public struct FeedForward: Sendable {
    /// [intermediate, hidden]
    public var intermediate: Linear
    /// [hidden, intermediate]
    public var output: Linear
    public var outputNorm: NormParameters
    public var activation: HiddenActivation

    public init(config: BertConfig) {
        intermediate = Linear(inputs: config.hiddenSize, outputs: config.intermediateSize)
        output = Linear(inputs: config.intermediateSize, outputs: config.hiddenSize)
        outputNorm = NormParameters(size: config.hiddenSize)
        activation = config.hiddenActivation
    }

    /// Re-packs both weights for small-row products.
    public mutating func pack() { intermediate.pack(); output.pack() }

    func forward(_ ws: EncoderWorkspace, epsilon: Float) {
        let h = intermediate.inputs, i = intermediate.outputs, tokens = ws.tokens, act = activation
        let hidden = ws.hidden.p, inter = ws.intermediate.p, projected = ws.projected.p
        withPointers([intermediate.bias, output.bias, outputNorm.weight, outputNorm.bias]) { b in
            let p = [intermediate.weightStorage.pointer, b[0], output.weightStorage.pointer, b[1], b[2], b[3]]
            if let q = intermediate.int8 { q.product(rows: tokens, x: hidden, into: inter, scratch: ws.int8) } else {
            linearProduct(rows: tokens, inputs: h, outputs: i, x: hidden, weight: p[0], packed: intermediate.packed, into: inter)
            }
            Parallel.forRanges(tokens, costPerItem: i * 8) { range in
                addBiasActivateRows(inter + range.lowerBound * i, rows: range.count, cols: i, bias: p[1], activation: act)
            }
            if let q = output.int8 { q.product(rows: tokens, x: inter, into: projected, scratch: ws.int8) } else {
            linearProduct(rows: tokens, inputs: i, outputs: h, x: inter, weight: p[2], packed: output.packed, into: projected)
            }
            Parallel.forRanges(tokens, costPerItem: h * 4) { range in
                let o = range.lowerBound * h
                addBiasResidualLayerNormRows(projected + o, bias: p[3], residual: hidden + o, rows: range.count, cols: h,
                                             gamma: p[4], beta: p[5], epsilon: epsilon)
            }
        }
    }
}
