/// A serialisable choice of optimizer and its hyper-parameters (for run configs and checkpoints).
public enum OptimizerConfig: Codable, Sendable, Equatable {
    case sgd(learningRate: Float, momentum: Float = 0, nesterov: Bool = false, l2: Float = 0)
    case adam(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, l2: Float = 0)
    case adamW(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01)

    /// The base learning rate.
    public var learningRate: Float {
        switch self {
        case .sgd(let lr, _, _, _), .adam(let lr, _, _, _, _), .adamW(let lr, _, _, _, _): lr
        }
    }

    /// The L2 coefficient λ whose penalty `λΣw²` belongs in the reported loss (0 for AdamW).
    public var l2: Float {
        switch self {
        case .sgd(_, _, _, let l2), .adam(_, _, _, _, let l2): l2
        case .adamW: 0
        }
    }

    /// A fresh optimizer with no state.
    public func make() -> Optimizer {
        switch self {
        case .sgd(let lr, let momentum, let nesterov, let l2):
            SGD(learningRate: lr, momentum: momentum, nesterov: nesterov, l2: l2)
        case .adam(let lr, let b1, let b2, let eps, let l2):
            Adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, l2: l2)
        case .adamW(let lr, let b1, let b2, let eps, let wd):
            AdamW(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
        }
    }
}
