import TendTensor

// Roles are the engine-wide `ParameterRole` (Parameters/ParameterRole.swift).

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
