/// Settings of a distillation run: the loss, the student's architecture and the training schedule.
/// Learning rate and schedule use the trainer's types; label smoothing is always off.
public struct DistillationConfig: Codable, Sendable, Equatable {
    /// Softening temperature T (> 0).
    public var temperature: Float = 4
    /// Weight α of the teacher term in [0, 1].
    public var alpha: Float = 0.7
    /// The student's architecture; nil derives one from the teacher (`studentArchitecture(teacher:)`).
    public var student: Architecture? = nil
    /// Hidden widths of a derived perceptron student (e.g. [64, 32]); nil halves each of the teacher's hidden widths.
    public var studentHidden: [Int]? = nil
    public var epochs: Int = 10
    public var batchSize: Int = 64
    public var optimizer: OptimizerKind = .adam
    public var learningRate: Float = 1e-3
    public var schedule: LRSchedule = .constant
    /// Seeds the student's initial weights and the batch order.
    public var seed: UInt64 = 0

    public init() {}

    public var loss: DistillationLoss { DistillationLoss(temperature: temperature, alpha: alpha) }

    /// What is wrong with the settings, or nil.
    public var validationError: String? {
        if let e = loss.validationError { return e }
        if epochs < 1 { return "distillation needs at least 1 epoch, got \(epochs)" }
        if batchSize < 1 { return "distillation batch size must be at least 1, got \(batchSize)" }
        if !(learningRate > 0 && learningRate.isFinite) { return "distillation learning rate must be > 0, got \(learningRate)" }
        if let h = studentHidden, let bad = h.first(where: { $0 < 1 }) { return "student hidden widths must be positive, got \(bad) in \(h)" }
        return nil
    }

    /// The student's layout for `teacher`: the same inputs, outputs, activation and LayerNorm choice, with
    /// `hidden` widths, or the teacher's hidden widths halved (at least 1) when nil. No dropout.
    public static func studentLayout(teacher: MLPLayout, hidden: [Int]?) -> MLPLayout {
        let teacherHidden = Array(teacher.sizes.dropFirst().dropLast())
        let widths = hidden ?? teacherHidden.map { max(1, $0 / 2) }
        return MLPLayout(sizes: [teacher.inputs] + widths + [teacher.outputs], activation: teacher.activation,
                         dropout: 0, layerNorm: teacher.layerNorm)
    }

    /// The student to train for `teacher`: `student` when set, else for an mlp-family teacher
    /// `studentLayout(teacher:hidden: studentHidden)`. Throws `DistillationError` for a family it cannot shrink.
    public func studentArchitecture(teacher: Architecture) throws -> Architecture {
        if let student { return student }
        switch teacher {
        case .mlp(let layout): return .mlp(DistillationConfig.studentLayout(teacher: layout, hidden: studentHidden))
        case .bert: throw DistillationError.invalidConfig("distilling a BERT encoder needs an explicit student architecture (no default shrink for the bert family yet)")
        }
    }

    /// The trainer's optimizer for these settings (Adam/AdamW/SGD with the trainer's defaults).
    func makeOptimizer() -> any Optimizer {
        var c = TrainConfig(layout: MLPLayout(sizes: [1, 1]))
        c.optimizer = optimizer
        c.learningRate = learningRate
        return Trainer.makeOptimizer(c)
    }
}
