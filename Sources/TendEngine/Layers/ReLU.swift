import TendTensor

/// `max(x, 0)` elementwise; backward uses the saved output.
public final class ReLU: Layer {
    private var output = Tensor.empty
    private var gradInput = Tensor.empty
    public init() {}
    public var parameters: [Parameter] { [] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        reluForward(x, into: &output)
        return output
    }

    public func backward(_ gradOut: Tensor) -> Tensor {
        reluBackward(gradOutput: gradOut, output: output, into: &gradInput)
        return gradInput
    }
}
