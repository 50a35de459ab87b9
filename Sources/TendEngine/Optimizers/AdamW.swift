import TendTensor

/// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, as in PyTorch:
/// `w *= 1 − lr·weightDecay` then the Adam update. Decay applies to parameters with `isDecayed`
/// (weight matrices), not to biases or LayerNorm gain/shift. State: `adamw.m.<name>`, `adamw.v.<name>`.
public final class AdamW: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var weightDecay: Float
    public private(set) var stepCount = 0
    private var store = SlotStore(prefix: "adamw", slots: ["m", "v"])

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        store.bind(parameters)
        let t = stepCount + 1
        for (i, p) in parameters.enumerated() {
            var m = store.take(0, i), v = store.take(1, i)
            adamUpdate(&p.value, grad: p.grad, m: &m, v: &v, mask: p.mask,
                       learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, step: t,
                       l2Coefficient: 0, decoupledDecay: p.isDecayed ? weightDecay : 0)
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
