/// One transformer encoder layer (Hugging Face `encoder.layer.N`): attention block, then feed-forward block.
public struct EncoderLayer: Sendable {
    public var attention: MultiHeadAttention
    public var feedForward: FeedForward

    public init(config: BertConfig) {
        attention = MultiHeadAttention(config: config)
        feedForward = FeedForward(config: config)
    }

    func forward(_ ws: EncoderWorkspace, epsilon: Float) {
        attention.forward(ws, epsilon: epsilon)
        feedForward.forward(ws, epsilon: epsilon)
    }
}
