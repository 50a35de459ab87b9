import TendTensor

/// Adam (Kingma & Ba) as in PyTorch, bias-corrected, with the two kinds of weight decay, both on
/// parameters with `isDecayed` only (weight matrices, not biases or LayerNorm gain/shift):
/// - `l2 = λ > 0`: classic L2, the gradient gets `+ 2λw` before the moments;
/// - `weightDecay > 0`: decoupled decay `w *= 1 − lr·weightDecay` before the Adam update (AdamW;
///   `AdamW` is this class with that option and its own state names).
/// State: `adam.m.<name>`, `adam.v.<name>` (`adamw.…` for `AdamW`).
public class Adam: Optimizer {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// L2 coefficient λ (loss += λΣw², grad += 2λw) on parameters with `isDecayed`.
    public var l2: Float
    /// Decoupled weight decay per unit of learning rate (AdamW's `weight_decay`); 0 for plain Adam.
    public var weightDecay: Float
    public private(set) var stepCount = 0
    private var store: SlotStore

    /// Plain Adam (optionally with L2 and/or decoupled decay); state named `adam.…`.
    public convenience init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                            l2: Float = 0, weightDecay: Float = 0) {
        self.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, l2: l2,
                  weightDecay: weightDecay, statePrefix: "adam")
    }

    init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, l2: Float, weightDecay: Float, statePrefix: String) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.l2 = l2
        self.weightDecay = weightDecay
        store = SlotStore(prefix: statePrefix, slots: ["m", "v"])
    }

    public func step(_ parameters: [Parameter]) {
        store.bind(parameters)
        let t = stepCount + 1
        for (i, p) in parameters.enumerated() {
            var m = store.take(0, i), v = store.take(1, i)
            adamUpdate(&p.value, grad: p.grad, m: &m, v: &v, mask: p.mask,
                       learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, step: t,
                       l2Coefficient: p.isDecayed ? 2 * l2 : 0, decoupledDecay: p.isDecayed ? weightDecay : 0)
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
