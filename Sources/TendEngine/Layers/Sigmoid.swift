import TendTensor

/// `σ(x) = 1/(1 + e⁻ˣ)` elementwise; backward uses the saved output (`y(1 − y)`).
public final class Sigmoid: Layer {
    private var output = Tensor.empty
    private var gradInput = Tensor.empty
    public init() {}
    public var parameters: [Parameter] { [] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        sigmoidForward(x, into: &output)
        return output
    }

    public func backward(_ gradOut: Tensor) -> Tensor {
        sigmoidBackward(gradOutput: gradOut, output: output, into: &gradInput)
        return gradInput
    }
}
