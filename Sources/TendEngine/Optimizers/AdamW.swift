import TendTensor

/// AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, as in PyTorch:
/// `w *= 1 − lr·weightDecay` then the Adam update. Decay applies to parameters with `isDecayed`
/// (weight matrices), not to biases or LayerNorm gain/shift. No L2 term (`l2` stays 0).
/// State: `adamw.m.<name>`, `adamw.v.<name>`.
public final class AdamW: Adam {
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
        super.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, l2: 0,
                   weightDecay: weightDecay, statePrefix: "adamw")
    }
}
