/// The architecture of a multilayer perceptron: `sizes` = [inputs, hidden…, outputs] (e.g.
/// [64, 128, 128, 10]); each hidden block is Dense → (LayerNorm) → activation → (Dropout).
/// Invariants checked by `MLP.init`: at least two sizes, all positive, dropout in [0, 1).
public struct MLPLayout: ArchitectureSpec {
    public static let family = "mlp"
    public var sizes: [Int]
    public var activation: Activation
    /// Dropout rate after each hidden activation (0 = none).
    public var dropout: Float
    /// Whether each hidden Dense is followed by a LayerNorm.
    public var layerNorm: Bool

    public init(sizes: [Int], activation: Activation = .relu, dropout: Float = 0, layerNorm: Bool = false) {
        self.sizes = sizes
        self.activation = activation
        self.dropout = dropout
        self.layerNorm = layerNorm
    }

    /// Number of inputs (features).
    public var inputs: Int { sizes.first ?? 0 }
    /// Number of outputs (logits).
    public var outputs: Int { sizes.last ?? 0 }

    /// A description of what is wrong with the layout, or nil when it is valid.
    public var validationError: String? {
        if sizes.count < 2 { return "MLP layout needs at least an input and an output size, got \(sizes)" }
        if let bad = sizes.first(where: { $0 <= 0 }) { return "MLP layout sizes must be positive, got \(bad) in \(sizes)" }
        if !(dropout >= 0 && dropout < 1) { return "MLP dropout must lie in [0, 1), got \(dropout)" }
        return nil
    }

    public func makeModel(seed: UInt64) throws -> any Model { try MLP(layout: self, seed: seed) }

    public var widths: [Int] { sizes }
    public var featureCount: Int? { inputs }

    public var summary: String { sizes.map(String.init).joined(separator: "-") + " " + activation.rawValue }
}
