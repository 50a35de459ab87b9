/// The elementwise non-linearities a model may use between Dense layers.
public enum Activation: String, Sendable, Codable, CaseIterable {
    case relu, gelu, tanh, sigmoid
}
