/// What a rollback (`b` on the triage screen) does besides restoring the last good checkpoint: after a numerics
/// or divergence alert it also multiplies the learning rate by `learningRateFactor` (`--rollback-lr-factor`),
/// since the same rate would most likely blow up again. Pure; the live run applies it on the training thread.
public struct RollbackPolicy: Sendable, Equatable {
    /// In (0, 1]; 1 keeps the learning rate.
    public var learningRateFactor: Double
    /// Alert rules whose active alert makes a rollback lower the learning rate.
    public static let backOffRules: Set<String> = ["numerics", "divergence"]

    public init(learningRateFactor: Double = 0.1) { self.learningRateFactor = learningRateFactor }

    /// The id of the first active alert (rule id, alert id) that asks for a lower learning rate; nil when none.
    public func backOffCause(active: [(ruleID: String, id: String)]) -> String? {
        active.first { Self.backOffRules.contains($0.ruleID) }?.id
    }

    /// The learning rate after a rollback caused by `cause` (nil: keep `current`).
    public func learningRate(after current: Float, cause: String?) -> Float? {
        guard cause != nil, learningRateFactor != 1 else { return nil }
        let new = current * Float(learningRateFactor)
        return new > 0 && new.isFinite ? new : nil
    }
}
