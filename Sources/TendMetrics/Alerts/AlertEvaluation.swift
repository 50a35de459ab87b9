import TendCore

/// One rule's verdict about one subject at one instant: firing or healthy, with the figures that
/// decided it. `id` is `ruleID` or `ruleID[subject]` (e.g. `drift.psi[income]`); healthy evaluations
/// resolve an active alert with the same id. `value` and `threshold` are in the metric's own units.
public struct AlertEvaluation: Sendable, Equatable {
    public var ruleID: String
    /// Distinguishes several alerts of one rule (a feature, a class); empty for one alert per rule.
    public var subject: String
    public var severity: Severity
    public var firing: Bool
    public var message: String
    /// The series to draw as a sparkline next to the alert (nil when the rule reads no series).
    public var metric: MetricKey?
    public var value: Double?
    public var threshold: Double?
    /// What to do about it, one short imperative sentence.
    public var suggestion: String

    public init(ruleID: String, subject: String = "", severity: Severity, firing: Bool, message: String,
                metric: MetricKey? = nil, value: Double? = nil, threshold: Double? = nil, suggestion: String = "") {
        self.ruleID = ruleID; self.subject = subject; self.severity = severity; self.firing = firing
        self.message = message; self.metric = metric; self.value = value; self.threshold = threshold
        self.suggestion = suggestion
    }

    public var id: String { subject.isEmpty ? ruleID : "\(ruleID)[\(subject)]" }

    /// A healthy verdict (resolves any active alert with this id).
    public static func ok(_ ruleID: String, subject: String = "", severity: Severity, metric: MetricKey? = nil,
                          value: Double? = nil, threshold: Double? = nil) -> AlertEvaluation {
        AlertEvaluation(ruleID: ruleID, subject: subject, severity: severity, firing: false, message: "ok",
                        metric: metric, value: value, threshold: threshold)
    }
}
