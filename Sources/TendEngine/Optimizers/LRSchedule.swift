#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Learning-rate schedule as a function of the 0-based index of the step about to be taken.
/// - `constant`: `base`.
/// - `step(every:gamma:)`: `base · gamma^⌊step / every⌋`.
/// - `cosine(warmupSteps:totalSteps:minFactor:)`: linear warm-up `base · (step + 1)/warmupSteps`
///   for `step < warmupSteps`, then cosine decay from `base` to `base · minFactor` at `totalSteps`
///   (held there afterwards).
public enum LRSchedule: Codable, Sendable, Equatable {
    case constant
    case step(every: Int, gamma: Float)
    case cosine(warmupSteps: Int, totalSteps: Int, minFactor: Float)

    public func rate(base: Float, step: Int) -> Float {
        let s = max(0, step)
        switch self {
        case .constant:
            return base
        case .step(let every, let gamma):
            guard every > 0 else { return base }
            return base * Float(pow(Double(gamma), Double(s / every)))
        case .cosine(let warmup, let total, let minFactor):
            if s < warmup { return base * Float(s + 1) / Float(warmup) }
            let span = max(1, total - warmup)
            let progress = min(1, Double(s - warmup) / Double(span))
            let factor = Double(minFactor) + (1 - Double(minFactor)) * 0.5 * (1 + cos(Double.pi * progress))
            return base * Float(factor)
        }
    }
}
