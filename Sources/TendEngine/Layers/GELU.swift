import TendTensor

/// GELU with the tanh approximation (PyTorch `GELU(approximate="tanh")`):
/// `½x(1 + tanh(√(2/π)(x + 0.044715x³)))`; backward is its exact derivative, from the saved input.
public final class GELU: Layer {
    private var input = Tensor.empty
    private var output = Tensor.empty
    private var gradInput = Tensor.empty
    public init() {}
    public var parameters: [Parameter] { [] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        geluForward(x, into: &output)
        if training { input = x }
        return output
    }

    public func backward(_ gradOut: Tensor) -> Tensor {
        geluBackward(gradOutput: gradOut, input: input, into: &gradInput)
        input = .empty
        return gradInput
    }
}
