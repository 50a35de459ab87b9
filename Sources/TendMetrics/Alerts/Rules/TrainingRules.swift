import TendCore

/// Divergence: each of the last `window` train-loss points is above `factor` × the running minimum.
public struct DivergenceRule: AlertRule {
    public let id = "divergence"
    public var factor: Double, window: Int
    public init(factor: Double, window: Int) { self.factor = factor; self.window = window }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        guard let series = s.series[.trainLoss], series.count > window, let minimum = series.min, minimum > 0,
              let latest = series.latest?.y else { return [] }
        let limit = factor * minimum
        // Cheap path: the newest point is within bounds, so not every point of the window is above.
        if latest.isFinite && latest <= limit {
            return [.ok(id, severity: .warning, metric: .trainLoss, value: latest, threshold: limit)]
        }
        let recent = s.tail(.trainLoss, window)
        let lowest = recent.map(\.y).min() ?? 0
        if recent.count == window, recent.allSatisfy({ !$0.y.isFinite || $0.y > limit }) {
            return [AlertEvaluation(ruleID: id, severity: .warning, firing: true,
                message: "train loss above \(fmt(factor))× its minimum \(fmt(minimum)) for \(window) points (lowest recent \(fmt(lowest)))",
                metric: .trainLoss, value: recent.last?.y, threshold: limit,
                suggestion: "lower the learning rate, or roll back to the last good checkpoint")]
        }
        return [.ok(id, severity: .warning, metric: .trainLoss, value: recent.last?.y, threshold: limit)]
    }
}

/// Plateau: validation loss has not improved on its earlier best by more than `minDelta` (relative)
/// in the last `evaluations` evaluations.
public struct PlateauRule: AlertRule {
    public let id = "plateau"
    public var evaluations: Int, minDelta: Double
    public init(evaluations: Int, minDelta: Double) { self.evaluations = evaluations; self.minDelta = minDelta }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        let pts = s.tail(.valLoss, evaluations + 1).filter { $0.y.isFinite }
        guard let series = s.series[.valLoss], series.count > evaluations, pts.count == evaluations + 1 else { return [] }
        // Best before the window: the running minimum over everything older than the window.
        let before = series.minimum(droppingLast: evaluations) ?? pts[0].y
        let recentBest = pts.dropFirst().map(\.y).min()!
        let limit = before * (1 - minDelta)
        if recentBest >= limit {
            return [AlertEvaluation(ruleID: id, severity: .warning, firing: true,
                message: "val loss has not improved for \(evaluations) evaluations (best \(fmt(before)), recent best \(fmt(recentBest)))",
                metric: .valLoss, value: pts.last?.y, threshold: limit,
                suggestion: "stop early, or lower the learning rate")]
        }
        return [.ok(id, severity: .warning, metric: .valLoss, value: pts.last?.y, threshold: limit)]
    }
}

/// Overfitting: validation loss rose at each of the last `evaluations` evaluations while train loss fell
/// over the same steps (id `overfitting`); or train accuracy exceeds validation accuracy by more than
/// `accuracyGap` (id `overfitting.gap`).
public struct OverfittingRule: AlertRule {
    public let id = "overfitting"
    public var evaluations: Int, accuracyGap: Double
    public init(evaluations: Int, accuracyGap: Double) { self.evaluations = evaluations; self.accuracyGap = accuracyGap }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        var out: [AlertEvaluation] = []
        let suggestion = "stop early (--patience) or train with a larger L2 (--l2) or dropout"
        let val = s.tail(.valLoss, evaluations + 1)
        if val.count == evaluations + 1 {
            let rising = zip(val, val.dropFirst()).allSatisfy { $1.y > $0.y }
            let startStep = val[0].x
            // The train series is read only when validation loss is rising (the rare, expensive case).
            let train = rising ? (s.series[.trainLoss]?.points ?? []) : []
            let before = train.filter { $0.x <= startStep }.suffix(evaluations * 4).map(\.y)
            let after = train.filter { $0.x > startStep }.suffix(evaluations * 4).map(\.y)
            let falling = !before.isEmpty && !after.isEmpty && mean(after) < mean(before)
            if rising && falling {
                out.append(AlertEvaluation(ruleID: id, severity: .warning, firing: true,
                    message: "val loss rose for \(evaluations) evaluations (\(fmt(val[0].y)) → \(fmt(val.last!.y))) while train loss fell (\(fmt(mean(before))) → \(fmt(mean(after))))",
                    metric: .valLoss, value: val.last!.y, threshold: val[0].y, suggestion: suggestion))
            } else {
                out.append(.ok(id, severity: .warning, metric: .valLoss, value: val.last!.y))
            }
        }
        if let tr = s.latest(.trainAccuracy), let va = s.latest(.valAccuracy), tr.isFinite, va.isFinite {
            let gap = tr - va
            out.append(AlertEvaluation(ruleID: "overfitting.gap", severity: .warning, firing: gap > accuracyGap,
                message: gap > accuracyGap ? "train accuracy \(fmt(tr)) exceeds val accuracy \(fmt(va)) by \(fmt(gap))" : "ok",
                metric: .valAccuracy, value: gap, threshold: accuracyGap, suggestion: gap > accuracyGap ? suggestion : ""))
        }
        return out
    }
}

/// Throughput drop: the latest training samples/s below (1 - `drop`) × the median of earlier points (≥ 3).
public struct ThroughputRule: AlertRule {
    public let id = "throughput"
    public var drop: Double
    public init(drop: Double) { self.drop = drop }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        let pts = s.tail(.samplesPerSecond, 33)
        guard pts.count >= 4, let last = pts.last?.y else { return [] }
        let earlier = pts.dropLast().map(\.y).sorted()
        let median = earlier[earlier.count / 2]
        let limit = (1 - drop) * median
        if last < limit {
            return [AlertEvaluation(ruleID: id, severity: .warning, firing: true,
                message: "training throughput \(fmt(last)) samples/s is below \(fmt(limit)) (\(Int(drop * 100))% under the median \(fmt(median)))",
                metric: .samplesPerSecond, value: last, threshold: limit,
                suggestion: "check for other load on the machine (BLAS threads, serving, swapping)")]
        }
        return [.ok(id, severity: .warning, metric: .samplesPerSecond, value: last, threshold: limit)]
    }
}

func mean<C: Collection>(_ c: C) -> Double where C.Element == Double {
    c.isEmpty ? .nan : c.reduce(0, +) / Double(c.count)
}
