import TendCore

/// NaN or infinity in the training loss, the validation loss or the gradient norm → critical.
/// Names the offending layer when the trainer logged one (`first non-finite: fc2.weight (weights)`,
/// `first non-finite: fc3 (activations overflowed; weights finite)`, `… (gradients; …)`).
public struct NumericsRule: AlertRule {
    public let id = "numerics"
    public init() {}

    public func evaluate(_ s: MetricsSnapshot, now: Double) -> [AlertEvaluation] {
        let keys: [MetricKey] = [.trainLoss, .valLoss, .gradNorm]
        for key in keys {
            guard let p = s.series[key]?.latest, !p.y.isFinite else { continue }
            var message = "\(key) is \(p.y) at step \(Int(p.x))"
            if let layer = Self.offendingLayer(s.events) { message += "; offending layer: \(layer)" }
            return [AlertEvaluation(ruleID: id, severity: .critical, firing: true, message: message, metric: key,
                                    value: p.y, suggestion: "roll back to the last good checkpoint and lower the learning rate or clip gradients")]
        }
        guard keys.contains(where: { s.series[$0] != nil }) else { return [] }
        return [.ok(id, severity: .critical, metric: .trainLoss)]
    }

    /// The layer named by the newest trainer error event, with what was non-finite in parentheses when
    /// the event says (`fc2.weight (weights)`); nil when no recent error event names one.
    static func offendingLayer(_ events: [EngineEvent]) -> String? {
        for e in events.reversed().prefix(50) where e.level == .error {
            let marker = "first non-finite: "
            let text = e.message
            var i = text.startIndex
            while i < text.endIndex {
                if text[i...].hasPrefix(marker) {
                    let rest = text[text.index(i, offsetBy: marker.count)...]
                    let name = rest.prefix { $0 != " " && $0 != ";" && $0 != ")" }
                    let after = rest.dropFirst(name.count)
                    if after.hasPrefix(" ("), let close = after.firstIndex(of: ")") {
                        return String(name) + after[after.startIndex...close]
                    }
                    return String(name)
                }
                i = text.index(after: i)
            }
        }
        return nil
    }
}
