import TendCore

/// Drift: per-feature PSI gauges (`drift/psi/<feature>`) above `threshold` (id `drift`), and the PSI of
/// the prediction distribution (id `drift.prediction`). Published by the executable's drift check.
public struct DriftRule: AlertRule {
    public let id = "drift"
    public var threshold: Double
    public init(threshold: Double) { self.threshold = threshold }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        var out: [AlertEvaluation] = []
        let prefix = MetricKey.driftPSIFeaturePrefix
        let features = s.gauges.filter { $0.key.tag.hasPrefix(prefix) }
            .map { (String($0.key.tag.dropFirst(prefix.count)), $0.value) }
        if !features.isEmpty {
            let drifted = features.filter { $0.1 > threshold }.sorted { $0.1 > $1.1 }
            let worst = features.map(\.1).max() ?? 0
            if drifted.isEmpty {
                out.append(.ok(id, severity: .warning, metric: .driftPSIMax, value: worst, threshold: threshold))
            } else {
                let names = drifted.prefix(3).map { "\($0.0) \(fmt($0.1))" }.joined(separator: ", ")
                out.append(AlertEvaluation(ruleID: id, severity: .warning, firing: true,
                    message: "\(drifted.count) of \(features.count) features drifted (PSI > \(fmt(threshold))): \(names)",
                    metric: .driftPSIMax, value: worst, threshold: threshold,
                    suggestion: "fine-tune on recent data (f) or check the serving pipeline"))
            }
        }
        if let p = s.latest(.driftPSIPrediction) {
            out.append(AlertEvaluation(ruleID: "drift.prediction", severity: .warning, firing: p > threshold,
                message: p > threshold ? "prediction distribution PSI \(fmt(p)) above \(fmt(threshold))" : "ok",
                metric: .driftPSIPrediction, value: p, threshold: threshold,
                suggestion: p > threshold ? "compare served inputs with training data; consider fine-tuning" : ""))
        }
        return out
    }
}

/// Fairness: demographic parity difference (id `fairness.dp`) and equalized odds difference
/// (id `fairness.eo`) on the validation split above their thresholds. Published with `--sensitive`.
public struct FairnessRule: AlertRule {
    public let id = "fairness"
    public var dpDifference: Double, eoDifference: Double
    public init(dpDifference: Double, eoDifference: Double) { self.dpDifference = dpDifference; self.eoDifference = eoDifference }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        var out: [AlertEvaluation] = []
        for (rid, key, limit, name) in [("fairness.dp", MetricKey.fairnessDPDifference, dpDifference, "demographic parity difference"),
                                        ("fairness.eo", MetricKey.fairnessEODifference, eoDifference, "equalized odds difference")] {
            guard let v = s.latest(key), v.isFinite else { continue }
            out.append(AlertEvaluation(ruleID: rid, severity: .warning, firing: v > limit,
                message: v > limit ? "\(name) \(fmt(v)) between groups is above \(fmt(limit))" : "ok",
                metric: key, value: v, threshold: limit,
                suggestion: v > limit ? "inspect per-group rates (tend report); rebalance or reweight the training data" : ""))
        }
        return out
    }
}

/// Leakage found before training: rows shared between splits (id `leakage.duplicates`) and a single
/// feature that predicts the label almost perfectly (id `leakage.feature`).
public struct LeakageRule: AlertRule {
    public let id = "leakage"
    public var score: Double
    public init(score: Double) { self.score = score }

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        var out: [AlertEvaluation] = []
        if let d = s.gauges[.leakageDuplicates] {
            let detail = s.labels[.leakageDuplicatesDetail] ?? ""
            out.append(AlertEvaluation(ruleID: "leakage.duplicates", severity: .warning, firing: d > 0,
                message: d > 0 ? "\(Int(d)) validation/test rows also occur in another split\(detail.isEmpty ? "" : " (\(detail))")" : "ok",
                metric: .leakageDuplicates, value: d, threshold: 0,
                suggestion: d > 0 ? "deduplicate the data before splitting" : ""))
        }
        if let v = s.gauges[.leakageFeatureScore] {
            let column = s.labels[.leakageFeatureColumn] ?? "?"
            out.append(AlertEvaluation(ruleID: "leakage.feature", severity: .warning, firing: v >= score,
                message: v >= score ? "column \(column) alone predicts the label with accuracy \(fmt(v))" : "ok",
                metric: .leakageFeatureScore, value: v, threshold: score,
                suggestion: v >= score ? "drop \(column) from the features unless it is known at prediction time" : ""))
        }
        return out
    }
}
