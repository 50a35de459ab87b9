import Testing
import TendCore
import TendDashboard
import TendMetrics
import TendUI

/// The dashboard program's `update` alone: what the old frame loop wrote from outside is a message now.
@Suite struct DashboardProgramTests {
    static let program = DashboardProgram(themes: [.default], exitAfter: 5, exitWhenDone: true)
    static func state() -> DashboardProgram.State {
        DashboardProgram.State(ui: DashboardState(themeNames: ["default"]), snapshot: SyntheticRun.snapshot(steps: 60))
    }

    @Test func counterFramesKeepTheChartsOfTheLastFullFrame() {
        var s = Self.state()
        let full = SyntheticRun.snapshot(steps: 120)
        (s, _) = Self.program.update(s, .snapshot(full, .full))
        var counters = SyntheticRun.snapshot(steps: 180)
        counters.series = [:]
        (s, _) = Self.program.update(s, .snapshot(counters, .counters))
        #expect(!full.series.isEmpty && s.snapshot.series.keys.sorted() == full.series.keys.sorted())
        #expect(s.snapshot.version == counters.version)
    }

    @Test func resizesReportsAndTicksAreMessages() {
        var s = Self.state()
        var e: [DashboardProgram.Effect] = []
        (s, _) = Self.program.update(s, .resize(width: 77, height: 20))
        #expect(s.ui.columns == 77)
        (s, e) = Self.program.update(s, .key(.char("R")))
        #expect(e == [.writeIncidentReport])
        (s, _) = Self.program.update(s, .reportWritten(path: "runs/x/report.md"))
        #expect(s.ui.overlay == .message(title: "Incident report", text: "wrote runs/x/report.md and report.json next to it"))
        (s, e) = Self.program.update(s, .tick(elapsed: 1, run: .training))
        #expect(e.isEmpty && !Self.program.redraws(after: .tick(elapsed: 1, run: .training)))
        (s, e) = Self.program.update(s, .tick(elapsed: 6, run: .training))
        #expect(e == [.finish(.timeLimit)] && s.exit == .timeLimit)
        (_, e) = Self.program.update(Self.state(), .tick(elapsed: 1, run: .finished))
        #expect(e == [.finish(.trainingDone)])
        (_, e) = Self.program.update(Self.state(), .signal(15))
        #expect(e == [.finish(.signal(15))])
    }

    @Test func keysUseTheFreshestRunState() {
        var s = Self.state()
        var e: [DashboardProgram.Effect] = []
        (s, _) = Self.program.update(s, .tick(elapsed: 0, run: .paused))
        (s, e) = Self.program.update(s, .key(.char(" ")))
        #expect(e == [.engine(.resume)])
        (s, e) = Self.program.update(s, .key(.char("x")))
        #expect(s.ui.screen == .whatIfPruning && Self.program.wantsImmediateData(s))
        #expect(e == [.engine(.previewPrune(threshold: 0, sparsity: nil, global: true))])
    }
}
