import TendCore
import TendMetrics
import TendUI

/// Everything the dashboard draws for one frame, as plain values computed from one `MetricsSnapshot` and the
/// `DashboardState`: series thinned to the chart width and smoothed, figures ready to format. Pure.
public struct DashboardViewModel: Sendable {
    public var status: StatusModel
    /// The newest warning or error event of the last `alertSeconds`, shown above the status line.
    public var alert: EngineEvent?
    public var loss: ChartModel
    public var accuracy: AccuracyModel
    public var latency: LatencyModel
    public var memory: MemoryModel
    public var layers: LayersModel
    public var events: [LogView.Line]
    public var eventsTotal: Int
    /// What the inference loop serves ("fp32", "int8"), when the executable published it.
    public var serving: String?
    /// Active unmuted alerts by severity, for the badge on every screen (empty: hidden).
    public var badge = AlertBadge()
    /// The triage screen's content; nil on other screens.
    public var triage: TriageModel?
    /// Serving figures when the dashboard serves a model it does not train (`ServedModelCard` attached).
    public var textServing: ServingPanelModel?

    /// How long a warning or error stays in the alert row, in seconds.
    public static let alertSeconds = 60.0

    /// `maxPoints`: most points per curve (the chart's width in dots); `maxEvents`: newest events kept (the
    /// panel's height is enough); `ascii`: no non-ASCII symbols in text.
    public init(snapshot: MetricsSnapshot, state: DashboardState, maxPoints: Int = 400, maxEvents: Int = 200,
                ascii: Bool = false) {
        let run = snapshot.run
        status = StatusModel(
            runName: run.name, state: run.state, epoch: run.epoch + 1, step: run.step, totalSteps: run.totalSteps,
            samplesPerSecond: run.samplesPerSecond, etaSeconds: run.etaSeconds,
            elapsedSeconds: run.startedAt > 0 && snapshot.takenAt >= run.startedAt ? snapshot.takenAt - run.startedAt : nil,
            hints: DashboardKeymap.hints(state, run: run.state))
        textServing = ServingPanelModel(snapshot)
        if textServing != nil { status.stateLabel = "serving" }
        alert = snapshot.events.last { $0.level != .info }
            .flatMap { snapshot.takenAt - $0.wallTime <= Self.alertSeconds ? $0 : nil }

        let w = state.smoothing
        // With label smoothing the trained loss carries the smoothing term and sits above val loss; the
        // curve is the plain cross-entropy (comparable to val), and the legend says the smoothing.
        let trainKey: MetricKey = snapshot.series[.trainCrossEntropy].map { $0.count > 0 } == true ? .trainCrossEntropy : .trainLoss
        var trainLine = ChartLine(name: trainKey == .trainCrossEntropy ? "train CE" : "train", key: trainKey,
                                  snapshot: snapshot, maxPoints: maxPoints, weight: w)
        if let eps = snapshot.gauges[.labelSmoothing], eps > 0 {
            trainLine.note = "smoothing " + DashboardFormat.value(eps)
        }
        loss = ChartModel(
            lines: [trainLine,
                    ChartLine(name: "val", key: .valLoss, snapshot: snapshot, maxPoints: maxPoints, weight: w)],
            downsampledBefore: ChartModel.downsampled([trainKey, .valLoss], in: snapshot),
            smoothing: w, logY: state.logLoss, showRaw: state.showRaw)
        accuracy = AccuracyModel(
            chart: ChartModel(
                lines: [ChartLine(name: "train", key: .trainAccuracy, snapshot: snapshot, maxPoints: maxPoints, weight: w),
                        ChartLine(name: "val", key: .valAccuracy, snapshot: snapshot, maxPoints: maxPoints, weight: w)],
                downsampledBefore: ChartModel.downsampled([.trainAccuracy, .valAccuracy], in: snapshot),
                smoothing: w, logY: false, showRaw: state.showRaw),
            precision: snapshot.series[.valPrecision]?.latest?.y,
            recall: snapshot.series[.valRecall]?.latest?.y,
            f1: snapshot.series[.valF1]?.latest?.y)
        latency = LatencyModel(snapshot.latency)
        memory = MemoryModel(snapshot, maxPoints: maxPoints)
        layers = LayersModel(snapshot.layers, ascii: ascii)
        events = snapshot.events.suffix(max(0, maxEvents)).map { e in
            LogView.Line(time: DashboardFormat.clockTime(e.wallTime), level: Self.level(e.level), text: e.message)
        }
        eventsTotal = snapshot.eventsTotal
        let alerts = snapshot.attachment(TriageRows.attachmentKey, as: AlertsSnapshot.self) ?? AlertsSnapshot()
        badge = AlertBadge(alerts, at: snapshot.takenAt)
        if state.screen == .triage {
            triage = TriageModel(snapshot: snapshot, alerts: alerts, selection: state.triageSelection, maxPoints: maxPoints)
        }
    }

    static func level(_ l: EngineEvent.Level) -> LogView.Level {
        switch l {
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        }
    }
}
