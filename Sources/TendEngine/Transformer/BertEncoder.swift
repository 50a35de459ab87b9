import TendTensor

/// A BERT-family encoder for inference: embeddings, `config.layers` encoder layers, pooling and optional
/// L2 normalisation. Owns the workspaces of its forward pass, so one encoder serves one thread at a time
/// (use `copy()` for another thread). Parameters are named as in Hugging Face checkpoints without the
/// `bert.` prefix (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, …).
public final class BertEncoder {
    public let config: BertConfig
    public var embeddings: BertEmbeddings
    public var layers: [EncoderLayer]
    /// How `encode` turns token states into one vector per sequence.
    public var pooling: Pooling
    /// Whether `encode` L2-normalises the pooled vectors (sentence-transformers' `Normalize` module).
    public var normalize: Bool

    let workspace = EncoderWorkspace()

    /// An encoder of `config`'s sizes with zero weights and unit LayerNorm gains (load weights next).
    public init(config: BertConfig, pooling: Pooling = .mean, normalize: Bool = false) {
        precondition(config.validate() == nil, "BertEncoder: \(config.validate()!)")
        self.config = config
        self.embeddings = BertEmbeddings(config: config)
        self.layers = (0..<config.layers).map { _ in EncoderLayer(config: config) }
        self.pooling = pooling
        self.normalize = normalize
    }

    /// Pooled (and, if `normalize`, L2-normalised) embeddings [batch, hidden] of `batch`.
    public func encode(_ batch: EncoderBatch) throws(EncoderInputError) -> Tensor {
        var out = Tensor.empty
        try encode(batch, into: &out)
        return out
    }

    /// `encode` into a reused output tensor.
    public func encode(_ batch: EncoderBatch, into out: inout Tensor) throws(EncoderInputError) {
        try run(batch)
        pooling.pool(workspace, hidden: config.hiddenSize, normalize: normalize, into: &out)
    }

    /// The last layer's hidden states [batch · length, hidden] (row `b · length + p`); padded positions are 0
    /// (Hugging Face computes values there that no output uses).
    public func hiddenStates(_ batch: EncoderBatch) throws(EncoderInputError) -> Tensor {
        try run(batch)
        let h = config.hiddenSize
        var out = Tensor(shape: Shape([batch.batch * batch.length, h]))
        out.withUnsafeMutableBufferPointer { po in
            var t = 0
            for i in 0..<(batch.batch * batch.length) where batch.attentionMask[i] != 0 {
                (po.baseAddress! + i * h).update(from: workspace.hidden.p + t * h, count: h)
                t += 1
            }
        }
        return out
    }

    private func run(_ batch: EncoderBatch) throws(EncoderInputError) {
        let ws = workspace
        try ws.pack(batch, config: config)
        ws.ensure(tokens: ws.tokens, longest: ws.longest, config: config, threads: Parallel.threads)
        let eps = config.layerNormEpsilon
        embeddings.forward(ws, epsilon: eps)
        for layer in layers { layer.forward(ws, epsilon: eps) }
    }

    /// Encodes `batch` calling `visit(name, states)` after the embeddings (`embeddings`), after each layer
    /// (`encoder.layer.N`) with the packed real tokens' states [real tokens, hidden], and after pooling
    /// (`pooling`, [batch, hidden]); stops early when `visit` returns false. For diagnosis (copies each output).
    public func trace(_ batch: EncoderBatch, visit: (_ name: String, _ output: Tensor) -> Bool) throws(EncoderInputError) {
        let ws = workspace
        try ws.pack(batch, config: config)
        ws.ensure(tokens: ws.tokens, longest: ws.longest, config: config, threads: Parallel.threads)
        let eps = config.layerNormEpsilon, h = config.hiddenSize
        func states() -> Tensor {
            Tensor(shape: Shape([ws.tokens, h]), storage: Array(UnsafeBufferPointer(start: ws.hidden.p, count: ws.tokens * h)))
        }
        embeddings.forward(ws, epsilon: eps)
        guard visit("embeddings", states()) else { return }
        for (i, layer) in layers.enumerated() {
            layer.forward(ws, epsilon: eps)
            guard visit("encoder.layer.\(i)", states()) else { return }
        }
        var pooled = Tensor.empty
        pooling.pool(ws, hidden: h, normalize: normalize, into: &pooled)
        _ = visit("pooling", pooled)
    }

    /// Rebuilds derived weights (fused attention projections, packed copies for small batches) after
    /// parameters changed. The packed copies hold as many floats again as the linear layers.
    public func weightsDidChange() {
        for i in layers.indices { weightsDidChange(layer: i) }
    }

    /// `weightsDidChange()` for encoder layer `i` only (the embeddings have no derived copies).
    public func weightsDidChange(layer i: Int) {
        layers[i].attention.refreshFused()
        layers[i].feedForward.pack()
    }

    /// An independent encoder with the same weights (storage shared copy-on-write) and its own workspace.
    public func copy() -> BertEncoder {
        let e = BertEncoder(config: config, pooling: pooling, normalize: normalize)
        e.embeddings = embeddings
        e.layers = layers
        return e
    }
}
