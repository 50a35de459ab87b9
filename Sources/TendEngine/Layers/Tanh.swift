import TendTensor

/// `tanh(x)` elementwise; backward uses the saved output (`1 − y²`).
public final class Tanh: Layer {
    private var output = Tensor.empty
    private var gradInput = Tensor.empty
    public init() {}
    public var parameters: [Parameter] { [] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        tanhForward(x, into: &output)
        return output
    }

    public func backward(_ gradOut: Tensor) -> Tensor {
        tanhBackward(gradOutput: gradOut, output: output, into: &gradInput)
        return gradInput
    }
}
