import TendTensor

/// The fine-tuning update of a `BertClassifierTraining`: AdamW with decoupled weight decay on weights and
/// embeddings only (by role: none on biases and LayerNorm), gradient clipping by the global norm of the
/// trainable gradients, the linear warm-up + decay schedule, and two learning-rate groups (the encoder's and
/// a higher one for the head). Frozen parameters (`freezesEmbeddings`, `frozenLayers`) are not updated.
/// State: `adamw.m.<name>`, `adamw.v.<name>` for every trained parameter, and the step count.
public final class BertFineTuneOptimizer {
    public let training: BertClassifierTraining
    /// Peak learning rate of the encoder's parameters.
    public var learningRate: Float
    /// Peak learning rate of `classifier.weight` / `classifier.bias`.
    public var headLearningRate: Float
    /// Clip the global gradient norm to this (nil: no clipping).
    public var maxGradientNorm: Float?
    public var schedule: LinearWarmupDecay
    private let encoderAdam: AdamW
    private let headAdam: AdamW
    public private(set) var stepCount = 0
    private var groups: (encoder: [Parameter], head: [Parameter], all: [Parameter]) = ([], [], [])
    private var groupedFor: (Bool, Int)? = nil

    /// What one step did: the gradient norm before clipping and the encoder's learning rate it used.
    public struct Step: Sendable, Equatable {
        public var gradientNorm: Float
        public var learningRate: Float
        public var headLearningRate: Float
    }

    public init(training: BertClassifierTraining, learningRate: Float = 5e-5, headLearningRate: Float? = nil,
                weightDecay: Float = 0.01, maxGradientNorm: Float? = 1, schedule: LinearWarmupDecay,
                beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.training = training
        self.learningRate = learningRate
        self.headLearningRate = headLearningRate ?? learningRate
        self.maxGradientNorm = maxGradientNorm
        self.schedule = schedule
        encoderAdam = AdamW(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
        headAdam = AdamW(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }

    /// Trainable parameters by group, rebuilt only when the freezing settings change.
    private func currentGroups() -> (encoder: [Parameter], head: [Parameter], all: [Parameter]) {
        let key = (training.freezesEmbeddings, training.frozenLayers)
        if let g = groupedFor, g == key { return groups }
        let all = training.trainableParameters
        let head = all.filter { $0.name.hasPrefix("classifier.") }
        groups = (all.filter { !$0.name.hasPrefix("classifier.") }, head, all)
        groupedFor = key
        return groups
    }

    /// Clips the gradients the last `training.backward()` left, then updates every trainable parameter.
    @discardableResult
    public func step() -> Step {
        let g = currentGroups()
        var norm: Float
        if let maxGradientNorm { norm = clipGradientsByGlobalNorm(g.all, maxNorm: maxGradientNorm) }
        else { var s = 0.0; for p in g.all { s += sumOfSquares(p.grad) }; norm = Float(s.squareRoot()) }
        let f = schedule.factor(step: stepCount)
        encoderAdam.learningRate = learningRate * f
        headAdam.learningRate = headLearningRate * f
        if !g.encoder.isEmpty { encoderAdam.step(g.encoder) }
        headAdam.step(g.head)
        stepCount += 1
        return Step(gradientNorm: norm, learningRate: learningRate * f, headLearningRate: headLearningRate * f)
    }

    /// Moments of every parameter stepped so far, by `adamw.{m,v}.<name>`.
    public func stateTensors() -> [String: Tensor] {
        encoderAdam.stateTensors().merging(headAdam.stateTensors()) { a, _ in a }
    }

    /// Restores `stateTensors()` and the step count (the schedule continues from it).
    public func loadState(_ state: [String: Tensor], stepCount: Int) throws {
        let head = state.filter { $0.key.contains(".classifier.") }
        try encoderAdam.loadState(state.filter { !$0.key.contains(".classifier.") }, stepCount: stepCount)
        try headAdam.loadState(head, stepCount: stepCount)
        self.stepCount = stepCount
    }
}
