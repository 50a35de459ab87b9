import TendCore
import TendMetrics

/// What the triage screen draws, as plain values: the alert rows, the selected one with the evidence (its
/// metric around the event and the threshold), and the fairness table when the run publishes one. Pure.
public struct TriageModel: Sendable {
    public struct Row: Sendable, Equatable {
        public var alert: Alert
        public var muted: Bool
    }

    /// Per-group fairness figures of one task (`fairness/<task>/<group>/<metric>`, newest values).
    public struct FairnessGroup: Sendable, Equatable {
        public var group: String
        public var selectionRate: Double?
        public var tpr: Double?
        public var fpr: Double?
        public var accuracy: Double?
    }

    /// One feature's PSI of served requests against the training data (gauge `drift/psi/<feature>`).
    public struct DriftFeature: Sendable, Equatable {
        public var name: String
        public var psi: Double
    }

    public var rows: [Row]
    public var activeCount: Int
    /// Index into `rows`, clamped; 0 when there are no rows.
    public var selection: Int
    /// The selected alert's metric as (step, value), oldest first; empty when it has none.
    public var evidence: [(x: Double, y: Double)]
    public var evidenceKey: MetricKey?
    public var now: Double
    /// The run's state: which action keys work.
    public var run: RunState
    public var fairnessTask: String?
    public var fairness: [FairnessGroup]
    /// Demographic parity and equalized odds differences per evaluation, oldest first.
    public var dpGap: [Double]
    public var eoGap: [Double]
    /// Every feature's drift PSI, worst first (ties by name); empty when the run publishes no drift check.
    public var drift: [DriftFeature]
    /// The drift rule's threshold, the prediction-distribution PSI, and the worst PSI per check, oldest first.
    public var driftThreshold: Double?
    public var driftPrediction: Double?
    public var driftHistory: [Double]

    public init(snapshot: MetricsSnapshot, alerts: AlertsSnapshot, selection: Int, maxPoints: Int = 200) {
        now = snapshot.takenAt
        run = snapshot.run.state
        let all = TriageRows.rows(alerts)
        rows = all.map { Row(alert: $0, muted: $0.isMuted(at: snapshot.takenAt)) }
        activeCount = alerts.active.count
        self.selection = TriageRows.clamped(selection, in: alerts)
        evidenceKey = rows.indices.contains(self.selection) ? rows[self.selection].alert.metric : nil
        evidence = evidenceKey.flatMap { snapshot.series[$0] }.map { $0.points(maxCount: maxPoints).map { ($0.x, $0.y) } } ?? []
        dpGap = snapshot.series[.fairnessDPDifference]?.points.map(\.y) ?? []
        eoGap = snapshot.series[.fairnessEODifference]?.points.map(\.y) ?? []
        // fairness/<task>/<group>/<metric>: the first task, groups in name order.
        var task: String?
        var groups: [String: FairnessGroup] = [:]
        for key in snapshot.keys {
            let parts = key.tag.split(separator: "/").map(String.init)
            guard parts.count == 4, parts[0] == "fairness" else { continue }
            if task == nil { task = parts[1] }
            guard parts[1] == task, let v = snapshot.series[key]?.latest?.y else { continue }
            var g = groups[parts[2]] ?? FairnessGroup(group: parts[2])
            switch parts[3] {
            case "selection_rate": g.selectionRate = v
            case "tpr": g.tpr = v
            case "fpr": g.fpr = v
            case "accuracy": g.accuracy = v
            default: break
            }
            groups[parts[2]] = g
        }
        fairnessTask = task
        fairness = groups.values.sorted { $0.group < $1.group }
        let prefix = MetricKey.driftPSIFeaturePrefix
        drift = snapshot.gauges.compactMap { key, v in
            key.tag.hasPrefix(prefix) ? DriftFeature(name: String(key.tag.dropFirst(prefix.count)), psi: v) : nil
        }.sorted { ($0.psi, $1.name) > ($1.psi, $0.name) }
        driftThreshold = snapshot.gauges[.driftPSIThreshold]
        driftPrediction = snapshot.series[.driftPSIPrediction]?.latest?.y
        driftHistory = snapshot.series[.driftPSIMax]?.points(maxCount: maxPoints).map(\.y) ?? []
    }

    public var selected: Alert? { rows.indices.contains(selection) ? rows[selection].alert : nil }
}
