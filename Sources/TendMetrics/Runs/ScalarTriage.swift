import TendCore

/// The health rules that apply to plain scalar logs (a TensorBoard run from any writer): NaN/Inf
/// (`NumericsRule`, and a non-finite newest value of any other tag), divergence, plateau and overfitting
/// (`DivergenceRule`, `PlateauRule`, `OverfittingRule`), evaluated on the run's loss, accuracy and
/// gradient-norm tags mapped to Tend's metric keys by name.
public enum ScalarTriage {
    /// The metric key a tag stands for, judged by its name (and the run's: Keras writes `epoch_loss`
    /// into runs called `train` and `validation`): `loss` → train/val loss, `acc` → train/val accuracy,
    /// `grad…norm` → gradient norm; `val`, `eval`, `valid` or `test` in the tag or the run's last path
    /// component means validation. Nil for anything else.
    public static func metricKey(forTag tag: String, runName: String = "") -> MetricKey? {
        let t = tag.lowercased()
        let runLeaf = runName.split(separator: "/").last.map { $0.lowercased() } ?? ""
        func validation(_ s: String) -> Bool {
            s.contains("val") || s.contains("eval") || s.contains("test")
        }
        let isVal = validation(t) || validation(runLeaf)
        if t.contains("loss") { return isVal ? .valLoss : .trainLoss }
        if t.contains("acc") { return isVal ? .valAccuracy : .trainAccuracy }
        if t.contains("grad") && t.contains("norm") { return .gradNorm }
        return nil
    }

    /// For each metric key, the tag that feeds it: an exact key name wins, then the shortest tag, then
    /// the first in sorted order.
    public static func tagsByKey(_ tags: [String], runName: String = "") -> [MetricKey: String] {
        var out: [MetricKey: String] = [:]
        for tag in tags.sorted() {
            guard let key = metricKey(forTag: tag, runName: runName) else { continue }
            if let current = out[key] {
                if current == key.tag { continue }
                if tag == key.tag || tag.count < current.count { out[key] = tag }
            } else {
                out[key] = tag
            }
        }
        return out
    }

    /// The rules applied to scalar logs, from `thresholds`, without the disabled ones.
    public static func rules(_ thresholds: AlertThresholds) -> [any AlertRule] {
        let all: [any AlertRule] = [
            NumericsRule(),
            DivergenceRule(factor: thresholds.divergenceFactor, window: thresholds.divergenceWindow),
            PlateauRule(evaluations: thresholds.plateauEvaluations, minDelta: thresholds.plateauMinDelta),
            OverfittingRule(evaluations: thresholds.overfitEvaluations, accuracyGap: thresholds.accuracyGap),
        ]
        return all.filter { !thresholds.disabled.contains($0.id) }
    }

    /// Firing alerts for one run, most severe first. `series` holds the mapped keys (see `tagsByKey`);
    /// `latest` the newest value of every scalar tag with its step, for the non-finite check of tags
    /// the rules do not read. `mapped` names the tag behind each key, used in messages.
    public static func evaluate(series: [MetricKey: RingSeries], latest: [String: (step: Double, value: Double)],
                                mapped: [MetricKey: String] = [:], thresholds: AlertThresholds = AlertThresholds(),
                                now: Double = 0) -> [AlertEvaluation] {
        let snapshot = MetricsSnapshot(takenAt: now, series: series)
        var out: [AlertEvaluation] = []
        for rule in rules(thresholds) {
            for var e in rule.evaluate(snapshot, now: now) where e.firing {
                if let sev = thresholds.severities[e.ruleID] { e.severity = sev }
                if let key = e.metric, let tag = mapped[key], tag != key.tag {
                    e.message += " (tag \(tag))"
                }
                out.append(e)
            }
        }
        if !thresholds.disabled.contains("numerics") {
            let readByRules = Set(mapped.values)
            for tag in latest.keys.sorted() where !readByRules.contains(tag) {
                let p = latest[tag]!
                guard !p.value.isFinite else { continue }
                out.append(AlertEvaluation(ruleID: "numerics", subject: tag, severity: thresholds.severities["numerics"] ?? .critical,
                                           firing: true, message: "\(tag) is \(p.value) at step \(Int(p.step))",
                                           value: p.value, suggestion: "look at the step where it turned non-finite"))
            }
        }
        return out.sorted { $0.severity != $1.severity ? $0.severity > $1.severity : $0.id < $1.id }
    }

    /// A short badge for an alert's rule, for a narrow run list: `NaN`, `div`, `plat`, `ovf`.
    public static func badge(_ ruleID: String) -> String {
        switch ruleID {
        case "numerics": return "NaN"
        case "divergence": return "div"
        case "plateau": return "plat"
        case "overfitting", "overfitting.gap": return "ovf"
        default: return String(ruleID.prefix(4))
        }
    }
}
