import TendTensor

/// What a named tensor of the encoder is, for optimizers, compression and the layers panel.
public enum ParameterRole: String, Sendable, Equatable {
    /// A linear layer's [out, in] matrix.
    case weight
    case bias
    /// LayerNorm gain or shift.
    case norm
    /// An embedding table [rows, hidden].
    case embedding
}

/// One named tensor of an encoder (Hugging Face name, without the `bert.` prefix).
public struct BertNamedParameter: Sendable {
    public var name: String
    public var role: ParameterRole
    public var tensor: Tensor
    public var shape: [Int] { tensor.shape.dims }
}

/// One embedding table or linear layer of the encoder, for listings (layers panel, `tend inspect`).
public struct BertLayerInfo: Sendable, Equatable {
    public enum Kind: String, Sendable { case embedding, linear }
    /// Name prefix, e.g. `encoder.layer.0.attention.self.query`.
    public var name: String
    public var kind: Kind
    /// Weight shape: [rows, hidden] for an embedding, [out, in] for a linear layer.
    public var shape: [Int]
    /// Scalar entries including the bias.
    public var parameters: Int
}
