import TendCore
import TendTensor

/// Fully connected layer `y = x·Wᵀ + b`, like PyTorch `Linear`: weight [out, in], bias [out].
public final class Dense: Layer {
    /// Weight initialisation schemes (biases start at 0).
    public enum Initialization: Sendable {
        /// He/Kaiming normal, std √(2/in): for ReLU and GELU.
        case he
        /// Xavier/Glorot normal, std √(2/(in+out)): for tanh, sigmoid and the output layer.
        case xavier
        /// All zeros, drawing nothing from the generator (for values about to be loaded).
        case zeros
    }

    public let weight: Parameter
    public let bias: Parameter
    public let inputs: Int
    public let outputs: Int
    /// Computes `forward` in this layer's place when set (the int8 path on a quantized model's private copy).
    public var substitute: (any LinearSubstitute)?
    /// Sees every forward input when set (calibration on a private copy).
    var inputObserver: ((Tensor) -> Void)?
    /// When false, `backward` skips the input gradient (first layer of a network) and returns
    /// `Tensor.empty`.
    public var computesInputGradient = true

    private var input = Tensor.empty
    private var output = Tensor.empty
    private var gradInput = Tensor.empty

    public init(name: String, inputs: Int, outputs: Int, initialization: Initialization, generator: inout SeededGenerator) {
        precondition(inputs > 0 && outputs > 0, "Dense \(name): sizes must be positive (\(inputs) → \(outputs))")
        self.inputs = inputs
        self.outputs = outputs
        let std: Float = switch initialization {
        case .he: (2 / Float(inputs)).squareRoot()
        case .xavier: (2 / Float(inputs + outputs)).squareRoot()
        case .zeros: 0
        }
        var w = [Float](repeating: 0, count: inputs * outputs)
        if std > 0 { for i in 0..<w.count { w[i] = generator.nextGaussian() * std } }
        weight = Parameter(name: name + ".weight", value: Tensor(shape: [outputs, inputs], storage: w), role: .weight)
        bias = Parameter(name: name + ".bias", value: Tensor(shape: [outputs]), role: .bias)
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 2 && x.cols == inputs, "\(weight.name): input \(x.shape) does not have \(inputs) columns")
        inputObserver?(x)
        if let substitute { return substitute.forward(x) }
        output.ensureShape(rows: x.rows, cols: outputs)
        broadcastRows(bias.value, into: &output)
        gemm(x, weight.value, into: &output, transposeB: true, beta: 1)
        if training { input = x }
        return output
    }

    public func backward(_ gradOut: Tensor) -> Tensor {
        precondition(input.rank == 2 && gradOut.rank == 2 && gradOut.rows == input.rows && gradOut.cols == outputs,
                     "\(weight.name): backward needs a training forward first and a gradient of [\(input.rank == 2 ? input.rows : 0), \(outputs)], got \(gradOut.shape)")
        weight.grad.ensureShape(weight.value.shape)
        gemm(gradOut, input, into: &weight.grad, transposeA: true)
        columnSums(gradOut, into: &bias.grad)
        input = .empty
        guard computesInputGradient else { return .empty }
        gradInput.ensureShape(rows: gradOut.rows, cols: inputs)
        gemm(gradOut, weight.value, into: &gradInput)
        return gradInput
    }
}

/// A replacement for a Dense layer's forward pass (same shapes: [batch, inputs] → [batch, outputs]).
public protocol LinearSubstitute: AnyObject {
    func forward(_ x: Tensor) -> Tensor
}
