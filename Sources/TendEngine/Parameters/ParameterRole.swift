/// What a parameter is for. Optimizers and compression select by role, never by name:
/// AdamW's decay and L2 apply to `weight` and `embedding`; magnitude pruning and quantization
/// take `weight` (biases and norms only when a pruning spec includes them; embeddings never).
public enum ParameterRole: String, Sendable, Codable, CaseIterable {
    /// A matrix of a linear map (Dense `fcK.weight`, attention and feed-forward projections).
    case weight
    /// An additive vector (`fcK.bias`).
    case bias
    /// A normalisation gain or shift (LayerNorm `weight` / `bias`).
    case norm
    /// A lookup table of vectors (token, position or type embeddings).
    case embedding

    /// Whether L2 regularisation and AdamW's decoupled weight decay apply.
    public var isDecayed: Bool { self == .weight || self == .embedding }
}
