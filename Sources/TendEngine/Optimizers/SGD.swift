import TendTensor

/// Stochastic gradient descent with optional (Nesterov) momentum, PyTorch's formulation:
/// `v = μv + g`, `w -= lr · v` (Nesterov: `w -= lr · (g + μv)`). With `l2 = λ > 0` the gradient of
/// weight matrices gets `+ 2λw` (pair with `l2Penalty` for the loss value). State: `sgd.velocity.<name>`.
public final class SGD: Optimizer {
    public var learningRate: Float
    public var momentum: Float
    public var nesterov: Bool
    /// L2 coefficient λ (loss += λΣw², grad += 2λw) on parameters with `isDecayed`.
    public var l2: Float
    public private(set) var stepCount = 0
    private var store = SlotStore(prefix: "sgd", slots: ["velocity"])

    public init(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, l2: Float = 0) {
        precondition(!nesterov || momentum > 0, "SGD: Nesterov needs a positive momentum")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.l2 = l2
    }

    public func step(_ parameters: [Parameter]) {
        store.bind(parameters)
        for (i, p) in parameters.enumerated() {
            sgdUpdate(&p.value, grad: p.grad, velocity: &store.tensors[0][i], mask: p.mask,
                      learningRate: learningRate, momentum: momentum, nesterov: nesterov,
                      l2Coefficient: p.isDecayed ? 2 * l2 : 0)
        }
        stepCount += 1
    }

    public func stateTensors() -> [String: Tensor] { momentum == 0 ? [:] : store.exported() }

    public func loadState(_ s: [String: Tensor], stepCount: Int) throws {
        guard stepCount >= 0 else { throw OptimizerStateError.negativeStepCount(stepCount) }
        try store.load(s)
        self.stepCount = stepCount
    }
}
