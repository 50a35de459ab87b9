import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

/// Deterministic alert lists for the triage screen and badge.
enum TriageFixture {
    static func eval(_ id: String, _ severity: Severity, metric: MetricKey?, value: Double?, threshold: Double?,
                     firing: Bool = true, suggestion: String = "") -> AlertEvaluation {
        AlertEvaluation(ruleID: id, severity: severity, firing: firing, message: "\(id) is out of bounds",
                        metric: metric, value: value, threshold: threshold, suggestion: suggestion)
    }

    /// An alert list built the way a run builds it: through an `AlertEngine` at fixed times.
    static func alerts(at t: Double) -> AlertsSnapshot {
        var eager = AlertThresholds(); eager.resolveAfterEvaluations = 1   // one healthy verdict resolves
        let engine = AlertEngine(thresholds: eager, rules: [])
        engine.apply([eval("plateau", .warning, metric: .trainLoss, value: 0.4, threshold: 0.01)], now: t - 300)
        engine.apply([eval("plateau", .warning, metric: .trainLoss, value: 0.4, threshold: 0.01, firing: false)], now: t - 200)
        engine.apply([eval("overfitting", .warning, metric: .valLoss, value: 0.9, threshold: 0.5,
                           suggestion: "e: stop early and restore the best weights")], now: t - 100)
        engine.apply([eval("numerics.loss", .critical, metric: .trainLoss, value: .nan, threshold: nil,
                           suggestion: "b: roll back to the last good checkpoint")], now: t - 40)
        return engine.snapshot()
    }

    /// The synthetic run with two active alerts (one critical), one resolved, and fairness series.
    static func snapshot() -> MetricsSnapshot {
        var snap = SyntheticRun.snapshot()
        let t = snap.takenAt
        let alerts = Self.alerts(at: t)
        snap.attachments[TriageRows.attachmentKey] = alerts
        for (g, rate) in [("0", 0.62), ("1", 0.31)] {
            for (m, v) in [("selection_rate", rate), ("tpr", rate + 0.2), ("fpr", rate / 4), ("accuracy", 0.8)] {
                var s = RingSeries(capacity: 64)
                s.append(step: 600, value: v, wallTime: t)
                snap.series[MetricKey("fairness/approved/\(g)/\(m)")] = s
            }
        }
        var dp = RingSeries(capacity: 64)
        for (i, v) in [0.05, 0.12, 0.2, 0.31].enumerated() { dp.append(step: (i + 1) * 60, value: v, wallTime: t - Double(4 - i)) }
        snap.series[.fairnessDPDifference] = dp
        return snap
    }
}

@Suite struct TriageTests {
    let live = DashboardState(themeNames: ["default"], columns: 120)

    @Test func aOpensTriageAndEscReturns() {
        let (s, actions) = update(live, .char("a"), run: .training)
        #expect(s.screen == .triage && actions.isEmpty)
        #expect(update(s, .escape, run: .training).0.screen == .dashboard)
        #expect(update(s, .char("a"), run: .training).0.screen == .dashboard)
    }

    @Test func triageKeysSendTheSuggestedActions() {
        var s = live; s.screen = .triage
        #expect(update(s, .char("b"), run: .paused).1 == [.engine(.rollback)])
        #expect(update(s, .char("p"), run: .training).1 == [.engine(.pause)])
        #expect(update(s, .char("p"), run: .paused).1 == [.engine(.resume)])
        #expect(update(s, .char("R"), run: .training).1 == [.writeIncidentReport])
        let down = update(update(s, .down, run: .training).0, .down, run: .training).0
        #expect(down.triageSelection == 2)
        #expect(update(down, .char("m"), run: .training).1 == [.muteAlert(row: 2, seconds: triageMuteSeconds)])
        #expect(update(s, .up, run: .training).0.triageSelection == 0)
        // L keeps its main-screen meaning only there: on triage it does not toggle the loss axis.
        #expect(update(s, .char("L"), run: .training).0.logLoss == false)
        #expect(update(s, .char("b"), run: .finished).1 == [.engine(.rollback)])
        #expect(update(s, .char("b"), run: .stopped).1.isEmpty)
    }

    @Test func triageHonoursExactlyItsBindings() {
        var s = live; s.screen = .triage
        let listed = Set(DashboardKeymap.bindings(s, run: .training).flatMap(\.keys))
        let probes: [Key] = [.char("x"), .char("L"), .char("c"), .char("f"), .tab, .char("1")]
        for k in probes where !listed.contains(k) {
            let (n, a) = update(s, k, run: .training)
            #expect(n == s && a.isEmpty, "unlisted key \(k) changed something")
        }
    }

    @Test func badgeCountsActiveUnmutedAlertsBySeverity() {
        let snap = TriageFixture.snapshot()
        let alerts = snap.attachment(TriageRows.attachmentKey, as: AlertsSnapshot.self)!
        #expect(AlertBadge(alerts, at: snap.takenAt) == AlertBadge(critical: 1, warning: 1))
        var muted = alerts; muted.active[0].mutedUntil = snap.takenAt + 600
        #expect(AlertBadge(muted, at: snap.takenAt) == AlertBadge(critical: 0, warning: 1))
        #expect(AlertBadge(AlertsSnapshot(), at: 0).isEmpty)
    }

    @Test func badgeShowsOnTheStatusLineAndHidesWhenHealthy() {
        var buffer = CellBuffer(width: 120, height: 40)
        DashboardView.render(snapshot: TriageFixture.snapshot(), state: live, into: &buffer, theme: .default, glyphs: .unicode)
        #expect(buffer.lines[39].contains("1 critical  1 warning"))
        var healthy = CellBuffer(width: 120, height: 40)
        DashboardView.render(snapshot: SyntheticRun.snapshot(), state: live, into: &healthy, theme: .default, glyphs: .unicode)
        #expect(!healthy.lines[39].contains("critical"))
    }

    @Test func modelClampsSelectionAndReadsFairness() {
        let snap = TriageFixture.snapshot()
        let alerts = snap.attachment(TriageRows.attachmentKey, as: AlertsSnapshot.self)!
        let m = TriageModel(snapshot: snap, alerts: alerts, selection: 99)
        #expect(m.selection == 2 && m.selected?.id == "plateau" && m.activeCount == 2)
        #expect(m.fairnessTask == "approved" && m.fairness.map(\.group) == ["0", "1"])
        #expect(m.fairness[1].selectionRate == 0.31 && m.dpGap.last == 0.31)
        #expect(!m.evidence.isEmpty)
    }
}

@Suite struct TriageSnapshotTests {
    let shots = ScreenSnapshotTests()

    func state(_ width: Int, selection: Int = 1) -> DashboardState {
        var s = DashboardState(themeNames: ["default"], columns: width)
        s.screen = .triage; s.triageSelection = selection
        return s
    }

    @Test func triage120x40() {
        shots.assertSnapshot(shots.render(120, 40, state: state(120), snapshot: TriageFixture.snapshot()), named: "triage-120x40")
    }

    @Test func triage80x24() {
        shots.assertSnapshot(shots.render(80, 24, state: state(80, selection: 0), snapshot: TriageFixture.snapshot()), named: "triage-80x24")
    }

    @Test func triageWithoutAlerts() {
        shots.assertSnapshot(shots.render(80, 24, state: state(80), snapshot: SyntheticRun.snapshot()), named: "triage-empty-80x24")
    }
}

/// Where colour carries meaning the snapshot compares styles too: the badge's severities and the selected row.
@Suite struct TriageStyleTests {
    /// Columns of `line` whose text is `word`, in the buffer's cells.
    static func cells(of word: String, in buffer: CellBuffer, row: Int) -> [Cell] {
        let line = buffer.lines[row]
        guard let r = line.range(of: word) else { return [] }
        let x0 = line.distance(from: line.startIndex, to: r.lowerBound)
        return (x0..<(x0 + word.count)).map { buffer[x: $0, y: row] }
    }

    @Test func badgeSeveritiesAreDrawnInTheirColours() {
        var buffer = CellBuffer(width: 120, height: 40)
        DashboardView.render(snapshot: TriageFixture.snapshot(), state: DashboardState(themeNames: ["default"], columns: 120),
                             into: &buffer, theme: .default, glyphs: .unicode)
        let critical = Self.cells(of: "1 critical", in: buffer, row: 39)
        let warning = Self.cells(of: "1 warning", in: buffer, row: 39)
        #expect(!critical.isEmpty && critical.allSatisfy { $0.style.foreground == Theme.default.critical }, "\(critical.map(\.style))")
        #expect(!warning.isEmpty && warning.allSatisfy { $0.style.foreground == Theme.default.warning }, "\(warning.map(\.style))")
    }

    @Test func selectedTriageRowMovesWithTheSelection() {
        var s = DashboardState(themeNames: ["default"], columns: 120)
        s.screen = .triage
        let snap = TriageFixture.snapshot()
        var highlighted: [Set<Int>] = []
        var lines: [[String]] = []
        for selection in 0..<2 {
            s.triageSelection = selection
            var buffer = CellBuffer(width: 120, height: 40)
            DashboardView.render(snapshot: snap, state: s, into: &buffer, theme: .default, glyphs: .unicode)
            highlighted.append(Set((0..<40).filter { y in
                (0..<120).contains { buffer[x: $0, y: y].style.background == Theme.default.selection }
            }))
            lines.append(buffer.lines)
        }
        // Exactly one alert row leaves the selection colour and one other takes it (other highlights, such as
        // the evidence panel's default action, may stay).
        let left = highlighted[0].subtracting(highlighted[1]), came = highlighted[1].subtracting(highlighted[0])
        #expect(left.count == 1 && came.count == 1, "highlighted rows \(highlighted[0].sorted()) then \(highlighted[1].sorted())")
        if let y0 = left.first, let y1 = came.first {
            #expect(lines[0][y0].contains("numerics.loss") || lines[0][y0].contains("overfitting"), "\(lines[0][y0])")
            #expect(lines[1][y1] != lines[0][y0])
        }
    }
}
