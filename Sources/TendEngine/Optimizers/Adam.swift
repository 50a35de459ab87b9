import TendTensor

/// Adam (Kingma & Ba) as in PyTorch, bias-corrected. With `l2 = λ > 0` the gradient of weight
/// matrices gets `+ 2λw` before the moments (classic L2, unlike AdamW). State: `adam.m.<name>`,
/// `adam.v.<name>`.
public final class Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// L2 coefficient λ (loss += λΣw², grad += 2λw) on parameters with `isDecayed`.
    public var l2: Float
    public private(set) var stepCount = 0
    private var store = SlotStore(prefix: "adam", slots: ["m", "v"])

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, l2: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.l2 = l2
    }

    public func step(_ parameters: [Parameter]) {
        store.bind(parameters)
        let t = stepCount + 1
        for (i, p) in parameters.enumerated() {
            var m = store.take(0, i), v = store.take(1, i)
            adamUpdate(&p.value, grad: p.grad, m: &m, v: &v, mask: p.mask,
                       learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, step: t,
                       l2Coefficient: p.isDecayed ? 2 * l2 : 0, decoupledDecay: 0)
            store.put(m, 0, i)
            store.put(v, 1, i)
        }
        stepCount = t
    }

    public func stateTensors() -> [String: Tensor] { store.exported() }

    public func loadState(_ s: [String: Tensor], stepCount: Int) throws {
        guard stepCount >= 0 else { throw OptimizerStateError.negativeStepCount(stepCount) }
        try store.load(s)
        self.stepCount = stepCount
    }
}
