import Foundation

/// When pruning happens during training and to which sparsity (steps are 0-based optimizer steps).
public enum PruningSchedule: Codable, Sendable, Equatable {
    /// Prune once, after optimizer step `step`, to `sparsity`.
    case oneShot(step: Int, sparsity: Double)
    /// Keep `sparsity` from `beginStep` on, re-selecting every `frequency` steps until `endStep` (nil: forever).
    case constant(sparsity: Double, beginStep: Int, endStep: Int?, frequency: Int)
    /// TFMOT's PolynomialDecay: s(t) = s_f + (s_i − s_f)·(1 − p)^power, p = clamp((t − begin)/(end − begin), 0, 1),
    /// applied every `frequency` steps from `beginStep` to `endStep` inclusive.
    case polynomialDecay(initialSparsity: Double, finalSparsity: Double, beginStep: Int, endStep: Int, power: Double, frequency: Int)

    /// The polynomial schedule with TFMOT's default power 3.
    public static func polynomial(from initial: Double, to final: Double, begin: Int, end: Int, frequency: Int = 100) -> PruningSchedule {
        .polynomialDecay(initialSparsity: initial, finalSparsity: final, beginStep: begin, endStep: end, power: 3, frequency: frequency)
    }

    /// The schedule's sparsity at `step` (0 before it starts).
    public func sparsity(at step: Int) -> Double {
        switch self {
        case let .oneShot(at, s): return step >= at ? s : 0
        case let .constant(s, begin, _, _): return step >= begin ? s : 0
        case let .polynomialDecay(si, sf, begin, end, power, _):
            if step < begin { return 0 }
            let p = end > begin ? min(1, max(0, Double(step - begin) / Double(end - begin))) : 1
            if p == 0 { return si }
            if p == 1 { return sf }
            return sf + (si - sf) * pow(1 - p, power)
        }
    }

    /// The sparsity to prune to after step `step`, or nil when this step does not prune.
    public func target(at step: Int) -> Double? {
        switch self {
        case let .oneShot(at, s):
            return step == at ? s : nil
        case let .constant(s, begin, end, frequency):
            guard step >= begin, end.map({ step <= $0 }) ?? true, (step - begin) % max(1, frequency) == 0 else { return nil }
            return s
        case let .polynomialDecay(_, _, begin, end, _, frequency):
            guard step >= begin, step <= end, (step - begin) % max(1, frequency) == 0 || step == end else { return nil }
            return sparsity(at: step)
        }
    }

    /// A description of what is wrong, or nil when valid.
    public var validationError: String? {
        func bad(_ s: Double) -> Bool { !(s >= 0 && s <= 1) }
        switch self {
        case let .oneShot(step, s):
            if step < 0 { return "one-shot pruning step must be ≥ 0, got \(step)" }
            if bad(s) { return "pruning sparsity must lie in 0...1, got \(s)" }
        case let .constant(s, begin, end, f):
            if bad(s) { return "pruning sparsity must lie in 0...1, got \(s)" }
            if begin < 0 || (end.map { $0 < begin } ?? false) { return "pruning steps must satisfy 0 ≤ begin ≤ end, got \(begin)…\(end.map(String.init) ?? "∞")" }
            if f < 1 { return "pruning frequency must be ≥ 1 step, got \(f)" }
        case let .polynomialDecay(si, sf, begin, end, power, f):
            if bad(si) || bad(sf) { return "pruning sparsities must lie in 0...1, got \(si) → \(sf)" }
            if begin < 0 || end < begin { return "pruning steps must satisfy 0 ≤ begin ≤ end, got \(begin)…\(end)" }
            if !(power > 0) { return "polynomial decay power must be > 0, got \(power)" }
            if f < 1 { return "pruning frequency must be ≥ 1 step, got \(f)" }
        }
        return nil
    }
}

/// Pruning during training: a schedule plus the scope and eligibility of each pruning step.
/// Stored in `TrainConfig.pruning`; the trainer calls `apply(to:step:)` after every optimizer step.
public struct PruningConfig: Codable, Sendable, Equatable {
    public var schedule: PruningSchedule
    public var scope: PruningScope
    public var includeBiases: Bool

    public init(schedule: PruningSchedule, scope: PruningScope = .global, includeBiases: Bool = false) {
        self.schedule = schedule; self.scope = scope; self.includeBiases = includeBiases
    }

    /// Prunes `model` if the schedule says so after optimizer step `step` (0-based); returns the
    /// masks applied, or nil when this step does not prune. Masks replace the previous ones; weights
    /// pruned before are 0 and rank first, so a non-decreasing schedule never revives them.
    @discardableResult
    public func apply(to model: any Model, step: Int) -> PruningMasks? {
        guard let s = schedule.target(at: step) else { return nil }
        return MagnitudePruner.prune(model, spec: PruningSpec(target: .sparsity(s), scope: scope, includeBiases: includeBiases))
    }
}
