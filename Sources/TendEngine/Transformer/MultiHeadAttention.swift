import TendTensor

/// Multi-head self-attention with its output projection and the residual + LayerNorm after it
/// (Hugging Face `BertAttention`: `self.{query,key,value}`, `output.dense`, `output.LayerNorm`).
/// Each weight is held once (its `Linear`); for products of few rows the three input projections are also
/// packed stacked as one [3·hidden, hidden] weight (`fusedPacked`) so one product computes them; larger products
/// run three sgemms straight from the weights into the query | key | value columns. Call `refreshFused()`
/// after changing any weight (it also re-packs the output projection).
public struct MultiHeadAttention: Sendable {
    public var query: Linear
    public var key: Linear
    public var value: Linear
    public var output: Linear
    public var outputNorm: NormParameters
    public let heads: Int
    /// query | key | value biases stacked: [3·hidden].
    public private(set) var fusedBias: Tensor
    /// query | key | value weights packed stacked, for products of few rows (the only copy of them).
    public private(set) var fusedPacked: PackedWeight?
    /// query | key | value on int8 stacked as one product, when all three are int8 (`BertEncoder.installInt8`).
    public internal(set) var qkvInt8: QuantizedLinear?

    public init(config: BertConfig) {
        let h = config.hiddenSize
        query = Linear(inputs: h, outputs: h)
        key = Linear(inputs: h, outputs: h)
        value = Linear(inputs: h, outputs: h)
        output = Linear(inputs: h, outputs: h)
        outputNorm = NormParameters(size: h)
        heads = config.attentionHeads
        fusedBias = Tensor(shape: Shape([3 * h]))
    }

    /// Rebuilds the stacked bias and packed projection from `query`, `key` and `value`, and re-packs `output`.
    public mutating func refreshFused() {
        fusedBias = Tensor(shape: Shape([3 * query.outputs]), storage: query.bias.storage + key.bias.storage + value.bias.storage)
        fusedPacked = PackedWeight(stacking: [query.weightStorage, key.weightStorage, value.weightStorage])
        query.dropPacked(); key.dropPacked(); value.dropPacked()
        output.pack()
    }

    /// hidden ← LayerNorm(hidden + attention(hidden) Woᵀ + bo) over the workspace's packed tokens.
    func forward(_ ws: EncoderWorkspace, epsilon: Float) {
        let h = query.inputs, tokens = ws.tokens, heads = heads, d = h / heads
        let hidden = ws.hidden.p, qkv = ws.qkv.p, context = ws.context.p, projected = ws.projected.p
        withPointers([fusedBias, output.bias, outputNorm.weight, outputNorm.bias]) { p in
            if let qkvInt8 {
                qkvInt8.product(rows: tokens, x: hidden, into: qkv, scratch: ws.int8)
            } else if let fusedPacked, tokens <= packedRowLimit, query.int8 == nil, key.int8 == nil, value.int8 == nil {
                // The weight pointer is not read on the packed path.
                linearProduct(rows: tokens, inputs: h, outputs: 3 * h, x: hidden, weight: query.weightStorage.pointer,
                              packed: fusedPacked, into: qkv)
            } else {
                for (j, l) in [query, key, value].enumerated() {
                    if let q = l.int8 { q.product(rows: tokens, x: hidden, into: qkv + j * h, ldy: 3 * h, scratch: ws.int8); continue }
                    linearProduct(rows: tokens, inputs: h, outputs: h, x: hidden, weight: l.weightStorage.pointer, packed: nil,
                                  into: qkv + j * h, ldy: 3 * h)
                }
            }
            // The query | key | value biases are added inside the attention kernel (no pass of their own; the int8
            // products leave them out too).
            attend(ws, hidden: h, headSize: d, qkv: qkv, bias: p[0], context: context)
            if let q = output.int8 { q.product(rows: tokens, x: context, into: projected, scratch: ws.int8) } else {
            linearProduct(rows: tokens, inputs: h, outputs: h, x: context, weight: output.weightStorage.pointer, packed: output.packed,
                          into: projected)
            }
            Parallel.forRanges(tokens, costPerItem: h * 4) { range in
                let o = range.lowerBound * h
                addBiasResidualLayerNormRows(projected + o, bias: p[1], residual: hidden + o, rows: range.count, cols: h,
                                             gamma: p[2], beta: p[3], epsilon: epsilon)
            }
        }
    }

    /// context[s, head] = softmax(Q Kᵀ / √d) V for every (sequence, head), Q, K, V being `qkv` plus `bias` [3·hidden], each over its real length only
    /// (one fused kernel per head: `attentionHead`).
    private func attend(_ ws: EncoderWorkspace, hidden h: Int, headSize d: Int,
                        qkv: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>) {
        let sequences = ws.starts.count - 1, heads = heads
        let scale = 1 / Float(d).squareRoot()
        let scores = ws.scores.p, block = ws.scoreBlock
        ws.starts.withUnsafeBufferPointer { starts in
            Parallel.forEach(sequences * heads, maxWorkers: ws.scoreWorkers) { item, worker in
                let s = item / heads, head = item % heads
                let start = starts[s], n = starts[s + 1] - start
                let q = qkv + start * 3 * h + head * d
                let b = bias + head * d
                attentionHead(tokens: n, headSize: d, q: q, k: q + h, v: q + 2 * h, ld: 3 * h, biases: (b, b + h, b + 2 * h), scale: scale,
                              into: context + start * h + head * d, ldo: h, scratch: scores + worker * block)
            }
        }
    }
}
