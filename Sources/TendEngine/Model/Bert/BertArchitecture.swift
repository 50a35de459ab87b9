/// The architecture of a BERT-family sentence encoder: the Hugging Face config (sizes, activation, …) and
/// how token states become one vector (pooling, optional L2 normalisation). Stored in checkpoints as
/// `{"family": "bert", "bert": {"config": {"hidden_size": …}, "pooling": "mean", "normalize": true}}`.
public struct BertArchitecture: ArchitectureSpec {
    public static let family = "bert"
    public var config: BertConfig
    public var pooling: Pooling
    public var normalize: Bool

    public init(config: BertConfig, pooling: Pooling = .mean, normalize: Bool = false) {
        self.config = config
        self.pooling = pooling
        self.normalize = normalize
    }

    /// A model of these sizes with Hugging Face's initialisation drawn from `seed` (N(0, 0.02) weights and
    /// embeddings, zero biases, unit LayerNorm gains); throws `ArchitectureError` for invalid sizes.
    public func makeModel(seed: UInt64) throws -> any Model { try BertModel(architecture: self, seed: seed) }

    /// The pooled embedding's width.
    public var outputs: Int { config.hiddenSize }
    public var summary: String {
        "bert \(config.layers)x\(config.hiddenSize) \(config.attentionHeads) heads, \(pooling.rawValue) pooling" + (normalize ? ", normalized" : "")
    }
    /// hidden, intermediate, hidden: the widths a token's state passes through in one layer.
    public var widths: [Int] { [config.hiddenSize, config.intermediateSize, config.hiddenSize] }
    /// Token inputs, not features.
    public var featureCount: Int? { nil }
}
