import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

/// The triage screen's engine actions (e, L) and its drift panel.
@Suite struct TriageActionTests {
    let live = DashboardState(themeNames: ["default"], columns: 120)

    var triage: DashboardState { var s = live; s.screen = .triage; return s }

    @Test func eStopsEarlyAndLRaisesL2OnlyWhileTheRunTrains() {
        for run in [RunState.training, .paused] {
            #expect(update(triage, .char("e"), run: run).1 == [.engine(.stopEarly)])
            #expect(update(triage, .char("L"), run: run).1 == [.engine(.raiseL2(factor: triageL2Factor, atLeast: triageL2Floor))])
        }
        for run in [RunState.finished, .stopped, .starting] {
            #expect(update(triage, .char("e"), run: run).1.isEmpty)
            #expect(update(triage, .char("L"), run: run).1.isEmpty)
        }
        // On the main screen e and L keep their own meanings.
        #expect(!update(live, .char("e"), run: .training).1.contains(.engine(.stopEarly)))
    }

    @Test func helpListsEAndLExactlyWhenTheyWork() {
        let training = Set(TriageKeymap.bindings(triage, run: .training).flatMap(\.keys))
        #expect(training.contains(.char("e")) && training.contains(.char("L")))
        let finished = Set(TriageKeymap.bindings(triage, run: .finished).flatMap(\.keys))
        #expect(!finished.contains(.char("e")) && !finished.contains(.char("L")))
        #expect(finished.contains(.char("b")))   // the finished run's thread still takes a rollback
    }

    @Test func evidencePanelOffersTheSelectedAlertsActions() {
        func alert(_ rule: String) -> Alert {
            let engine = AlertEngine(rules: [])
            engine.apply([TriageFixture.eval(rule, .warning, metric: nil, value: nil, threshold: nil)], now: 0)
            return engine.snapshot().active[0]
        }
        let overfit = TriageKeymap.actionHints(for: alert("overfitting.gap"), run: .training)
        #expect(overfit.contains("e stop early, restore best") && overfit.contains("L raise L2, continue"))
        #expect(!overfit.contains { $0.hasPrefix("b ") })
        let plateau = TriageKeymap.actionHints(for: alert("plateau"), run: .paused)
        #expect(plateau.contains("e stop early, restore best") && !plateau.contains { $0.hasPrefix("L ") })
        #expect(plateau.contains("p resume"))
        let nan = TriageKeymap.actionHints(for: alert("numerics"), run: .paused)
        #expect(nan.first == "b roll back to last good checkpoint")
        // A finished run offers no engine action: only mute and the report.
        #expect(TriageKeymap.actionHints(for: alert("overfitting"), run: .finished) == ["m mute 10 min", "R report"])
    }

    static func driftSnapshot() -> MetricsSnapshot {
        var snap = TriageFixture.snapshot()
        for (name, psi) in [("p21", 0.61), ("p13", 0.34), ("p2", 0.02), ("p40", 0.12)] {
            snap.gauges[MetricKey(MetricKey.driftPSIFeaturePrefix + name)] = psi
        }
        snap.gauges[.driftPSIThreshold] = 0.25
        var worst = RingSeries(capacity: 16), prediction = RingSeries(capacity: 16)
        for (i, v) in [0.05, 0.3, 0.61].enumerated() {
            worst.append(step: i * 400, value: v, wallTime: snap.takenAt)
            prediction.append(step: i * 400, value: v / 10, wallTime: snap.takenAt)
        }
        snap.series[.driftPSIMax] = worst
        snap.series[.driftPSIPrediction] = prediction
        return snap
    }

    @Test func modelReadsDriftGaugesWorstFirst() {
        let snap = Self.driftSnapshot()
        let m = TriageModel(snapshot: snap, alerts: snap.attachment(TriageRows.attachmentKey, as: AlertsSnapshot.self)!, selection: 0)
        #expect(m.drift.map(\.name) == ["p21", "p13", "p40", "p2"])
        #expect(m.driftThreshold == 0.25 && m.driftPrediction == 0.061 && m.driftHistory == [0.05, 0.3, 0.61])
        let none = TriageModel(snapshot: TriageFixture.snapshot(), alerts: AlertsSnapshot(), selection: 0)
        #expect(none.drift.isEmpty && none.driftPrediction == nil)
    }

    @Test func driftPanelShowsTheWorstFeaturesLive() {
        var s = live; s.screen = .triage
        var buffer = CellBuffer(width: 120, height: 40)
        DashboardView.render(snapshot: Self.driftSnapshot(), state: s, into: &buffer, theme: .default, glyphs: .unicode)
        let text = buffer.lines.joined(separator: "\n")
        #expect(text.contains("Drift PSI (served vs training)"))
        #expect(text.contains("2 of 4 features > 0.25"))
        #expect(text.contains("worst 0.610  prediction 0.061"))
        let p21 = buffer.lines.first { $0.contains("p21") } ?? ""
        #expect(p21.contains("0.610") && p21.contains("█"))
        // The fairness panel and the alert list still show.
        #expect(text.contains("Fairness (approved)") && text.contains("Alerts: 2 active"))
    }
}
