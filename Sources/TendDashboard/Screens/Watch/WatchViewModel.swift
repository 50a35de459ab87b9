import TendMetrics
import TendUI

/// One row of the run list.
public struct WatchRunRow: Sendable, Equatable {
    public var name: String
    /// Series colour index: the run's position among all runs (stable under the filter).
    public var colorIndex: Int
    public var shown: Bool
    public var isCursor: Bool
    /// Short alert badges (`NaN`, `div`, `plat`, `ovf`), the worst first; empty when healthy.
    public var badges: [String]
    public var severity: Severity?
    /// Newest value of the focused chart's tag, formatted; nil when the run lacks the tag.
    public var latest: String?
    public var isLoaded: Bool
}

/// One curve on a chart: one run's points of the panel's tag, thinned to the chart width, and smoothed.
public struct WatchChartLine: Sendable {
    public var run: String
    public var colorIndex: Int
    public var raw: [(x: Double, y: Double)]
    public var smoothed: [(x: Double, y: Double)]
    public var latest: Double?
}

/// A chart panel: one tag overlaid for every shown run that has it.
public struct WatchChartModel: Sendable {
    public var tag: String?
    public var lines: [WatchChartLine]
    /// Stored points left of this step are bucket means (long series): a marker is drawn there.
    public var downsampledBefore: Double?
    public var logY: Bool
    public var focused: Bool
    public var smoothing: Double
    public var showRaw: Bool
    /// Runs having the tag among those listed (shown or not).
    public var runsWithTag: Int
}

/// The tag picker overlay's content.
public struct WatchPickerModel: Sendable, Equatable {
    public var panel: Int
    public var query: String
    public var tags: [String]
    public var selection: Int
}

/// Everything the watch screen draws for one frame, as plain values from one `RunsSnapshot` and the
/// `WatchState`. Pure.
public struct WatchViewModel: Sendable {
    public var layout: WatchLayout
    public var context: WatchContext
    public var rows: [WatchRunRow]
    /// Index of the first row shown (keeps the cursor in view).
    public var scroll: Int
    public var charts: [WatchChartModel]
    public var events: [LogView.Line]
    public var warningsTotal: Int
    public var root: String
    public var progress: WatchProgress
    /// Runs listed and how many of them are shown on the charts.
    public var listed: Int, shown: Int
    /// Runs with a critical / a warning alert (of all runs).
    public var criticalRuns: Int, warningRuns: Int
    public var hints: [String]
    public var picker: WatchPickerModel?

    /// `braille`: charts have two dots per cell across (the points each curve needs).
    public init(snapshot: RunsSnapshot, state: WatchState, width: Int, height: Int, braille: Bool = true) {
        layout = WatchLayout(width: width, height: height, filterLine: state.editingFilter || !state.filter.isEmpty)
        context = WatchContext(runNames: snapshot.runs.map(\.name), tags: snapshot.tags, state: state,
                               panels: layout.panels.count, pageRows: max(1, layout.runRows))
        root = snapshot.root
        progress = snapshot.progress
        warningsTotal = snapshot.warningsTotal
        hints = WatchKeymap.hints(state)

        var byName: [String: (index: Int, run: WatchedRun)] = [:]
        byName.reserveCapacity(snapshot.runs.count)
        for (i, r) in snapshot.runs.enumerated() { byName[r.name] = (i, r) }
        criticalRuns = snapshot.runs.reduce(0) { $0 + ($1.worstAlert == .critical ? 1 : 0) }
        warningRuns = snapshot.runs.reduce(0) { $0 + ($1.worstAlert == .warning ? 1 : 0) }

        let cursor = context.cursorIndex(state)
        let panelCount = layout.panels.count
        let focused = panelCount > 0 ? min(state.focusedPanel, panelCount - 1) : 0
        let focusedTag = panelCount > 0 ? context.panelTags[focused] : nil
        let pageRows = max(1, layout.runRows)
        let listed = context.runs
        scroll = max(0, min(cursor - pageRows / 2, listed.count - pageRows))
        var rows: [WatchRunRow] = []
        for name in listed.dropFirst(scroll).prefix(pageRows) {
            guard let (index, run) = byName[name] else { continue }
            let latest = focusedTag.flatMap { run.tracks[$0]?.latest }.map(DashboardFormat.value)
            rows.append(WatchRunRow(name: name, colorIndex: index, shown: !state.hiddenRuns.contains(name),
                                    isCursor: name == listed[min(cursor, max(0, listed.count - 1))],
                                    badges: Self.badges(run.alerts), severity: run.worstAlert, latest: latest,
                                    isLoaded: run.isLoaded))
        }
        self.rows = rows
        self.listed = listed.count
        shown = listed.reduce(0) { $0 + (state.hiddenRuns.contains($1) ? 0 : 1) }

        // Charts: every shown, listed run that has the panel's tag.
        let shownRuns = listed.compactMap { state.hiddenRuns.contains($0) ? nil : byName[$0] }
        let ctx = context
        charts = layout.panels.enumerated().map { p, rect in
            let tag = ctx.panelTags[p]
            let maxPoints = max(2, (rect.width - 4) * (braille ? 2 : 1))
            var lines: [WatchChartLine] = []
            var downsampled: Double?
            var withTag = 0
            if let tag {
                withTag = listed.reduce(0) { $0 + (byName[$1]?.run.tracks[tag] != nil ? 1 : 0) }
                // Many runs overlaid: fewer points each, so a frame stays cheap (a curve among hundreds
                // shows its trend, not its noise).
                let drawn = shownRuns.reduce(0) { $0 + ($1.run.tracks[tag] != nil ? 1 : 0) }
                let perLine = max(8, min(maxPoints, Self.pointBudget / max(1, drawn)))
                for (index, run) in shownRuns {
                    guard let track = run.tracks[tag], track.storedCount > 0 else { continue }
                    let raw = track.points(maxPoints: perLine)
                    var smoothed = raw
                    if state.smoothing > 0 {
                        let ys = Smoothing.exponentialMovingAverage(raw.map(\.y), weight: state.smoothing)
                        for i in smoothed.indices { smoothed[i].y = ys[i] }
                    }
                    if let d = track.downsampledBefore { downsampled = max(downsampled ?? d, d) }
                    lines.append(WatchChartLine(run: run.name, colorIndex: index, raw: raw, smoothed: smoothed, latest: track.latest))
                }
            }
            return WatchChartModel(tag: tag, lines: lines, downsampledBefore: downsampled, logY: state.logPanels.contains(p),
                                   focused: p == focused && state.overlay == .none && !state.editingFilter,
                                   smoothing: state.smoothing, showRaw: state.showRaw && lines.count <= Self.maxRawLines,
                                   runsWithTag: withTag)
        }

        // Events: tailing warnings, then the alerts of the run under the cursor (newest at the bottom).
        var events = snapshot.warnings.suffix(50).map { LogView.Line(time: "", level: .warning, text: $0) }
        if cursor < listed.count, let run = byName[listed[cursor]]?.run {
            for a in run.alerts.reversed() {
                events.append(LogView.Line(time: "", level: a.severity == .critical ? .error : .warning,
                                           text: "\(run.name): \(a.message)" + (a.suggestion.isEmpty ? "" : " - " + a.suggestion)))
            }
        }
        self.events = events

        if case .tagPicker(let p) = state.overlay {
            let tags = context.pickerTags(p.query)
            picker = WatchPickerModel(panel: p.panel, query: p.query, tags: tags, selection: min(p.selection, max(0, tags.count - 1)))
        }
    }

    /// Most points drawn on one chart, over all its curves.
    public static let pointBudget = 16_000
    /// Above this many curves the raw points are not drawn under the smoothed ones.
    public static let maxRawLines = 24

    /// Distinct badges of `alerts` (already most severe first).
    static func badges(_ alerts: [AlertEvaluation]) -> [String] {
        var out: [String] = []
        for a in alerts {
            let b = ScalarTriage.badge(a.ruleID)
            if !out.contains(b) { out.append(b) }
        }
        return out
    }
}
