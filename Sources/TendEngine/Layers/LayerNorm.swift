import TendTensor

/// Layer normalisation over the features of each row (PyTorch `LayerNorm(features)`, eps 1e-5,
/// biased variance): `y = gamma ⊙ (x − mean)/√(var + eps) + beta`. `gamma` is named `.weight`
/// (starts at 1) and `beta` `.bias` (starts at 0); neither is weight-decayed.
public final class LayerNorm: Layer {
    public let gamma: Parameter
    public let beta: Parameter
    public let epsilon: Float
    private var xhat = Tensor.empty
    private var rstd = Tensor.empty
    private var output = Tensor.empty
    private var gradInput = Tensor.empty

    public init(name: String, features: Int, epsilon: Float = 1e-5) {
        precondition(features > 0, "LayerNorm \(name): features must be positive")
        gamma = Parameter(name: name + ".weight", value: Tensor(shape: [features], repeating: 1), role: .norm)
        beta = Parameter(name: name + ".bias", value: Tensor(shape: [features]), role: .norm)
        self.epsilon = epsilon
    }

    public var parameters: [Parameter] { [gamma, beta] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        layerNormForward(x, gamma: gamma.value, beta: beta.value, epsilon: epsilon,
                         into: &output, xhat: &xhat, rstd: &rstd)
        return output
    }

    public func backward(_ gradOut: Tensor) -> Tensor {
        layerNormBackward(gradOutput: gradOut, xhat: xhat, rstd: rstd, gamma: gamma.value,
                          gradInput: &gradInput, gradGamma: &gamma.grad, gradBeta: &beta.grad)
        return gradInput
    }
}
