/// Learning-rate factor of fine-tuning as transformers' `get_linear_schedule_with_warmup`: for the 0-based
/// step `s`, `s / warmup` while `s < warmup`, then `(total − s) / (total − warmup)` down to 0 at `total`
/// (so step 0 of a warm-up takes no step, exactly as in PyTorch). Invariant: 0 ≤ warmup ≤ total.
public struct LinearWarmupDecay: Sendable, Equatable, Codable {
    public var warmupSteps: Int
    public var totalSteps: Int

    public init(warmupSteps: Int, totalSteps: Int) {
        precondition(warmupSteps >= 0 && totalSteps >= warmupSteps, "LinearWarmupDecay: warm-up \(warmupSteps) of \(totalSteps) steps")
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// Warm-up over `fraction` of `totalSteps` (rounded up, as the issue's `--warmup 0.1`).
    public init(warmupFraction fraction: Double, totalSteps: Int) {
        self.init(warmupSteps: min(totalSteps, Int((fraction * Double(totalSteps)).rounded(.up))), totalSteps: totalSteps)
    }

    /// The factor in [0, 1] multiplying the base rate at step `s`.
    public func factor(step s: Int) -> Float {
        if s < warmupSteps { return Float(max(0, s)) / Float(warmupSteps) }
        let span = max(1, totalSteps - warmupSteps)
        return max(0, Float(totalSteps - s) / Float(span))
    }
}
