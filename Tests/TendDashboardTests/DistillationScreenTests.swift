import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

@Suite struct DistillationScreenTests {
    /// Five of twenty epochs done: a 64-128-128-10 teacher and a 64-64-64-10 student, measured figures as a real run gives.
    static func progress(serving: String = "teacher") -> DistillationProgress {
        let accs = [0.49, 0.71, 0.79, 0.85, 0.90], losses = [1.61, 1.02, 0.71, 0.52, 0.41]
        let epochs = (0..<5).map { DistillationProgress.Epoch(epoch: $0, trainLoss: 2 - 0.3 * Double($0), validationLoss: losses[$0],
                                                               validationAccuracy: accs[$0]) }
        return DistillationProgress(
            phase: .training, temperature: 4, alpha: 0.7, epochsTotal: 20, batch: 10, batchesPerEpoch: 20, epochs: epochs,
            teacher: .init(layout: [64, 128, 128, 10], parameters: 26_122, bytes: 104_488, validationAccuracy: 0.9704,
                           validationLoss: 0.2838, latencyP50Microseconds: 34.6, latencyP99Microseconds: 175.8),
            student: .init(layout: [64, 64, 64, 10], parameters: 8_970, bytes: 35_880, validationAccuracy: 0.90,
                           validationLoss: 0.41, latencyP50Microseconds: 22.5, latencyP99Microseconds: 54.1),
            teacherStep: 1_200, agreement: 0.9185, serving: serving)
    }

    static func screen(_ p: DistillationProgress? = progress()) -> DashboardState {
        var s = DashboardState(themeNames: ["default"])
        s.screen = .distillation
        s.distillation.sync(from: p)
        return s
    }

    static func snapshot(_ p: DistillationProgress? = progress()) -> MetricsSnapshot {
        var snap = SyntheticRun.snapshot()
        if let p { snap.attachments[DistillationProgress.key] = p }
        return snap
    }

    @Test func dOpensTheScreenAndStartsTheStudent() {
        let (s, a) = update(DashboardState(), .char("d"), run: .training)
        #expect(s.screen == .distillation)
        #expect(a == [.engine(.startDistillation(temperature: 4, alpha: 0.7, epochs: 20, fresh: false))])
    }

    @Test func enterServesTheStudentAndUGoesBackToTheTeacher() {
        let (s, a) = update(Self.screen(), .enter, run: .training)
        #expect(a == [.engine(.serveStudent)] && s.screen == .dashboard)
        let serving = Self.screen(Self.progress(serving: "student"))
        #expect(serving.distillation.servingStudent)
        let (_, back) = update(serving, .char("u"), run: .training)
        #expect(back == [.engine(.serveTeacher)])
        let (same, none) = update(serving, .enter, run: .training)   // already serving it
        #expect(same == serving && none.isEmpty)
    }

    @Test func enterDoesNothingBeforeTheFirstEpoch() {
        var p = Self.progress(); p.epochs = []
        let s = Self.screen(p)
        let (n, a) = update(s, .enter, run: .training)
        #expect(n == s && a.isEmpty)
        #expect(!DashboardKeymap.bindings(s, run: .training).flatMap(\.keys).contains(.enter))
    }

    @Test func rDistilsAgainOnlyAfterTheRunEnded() {
        var done = Self.progress(); done.phase = .finished
        let (s, a) = update(Self.screen(done), .char("r"), run: .training)
        #expect(a == [.engine(.startDistillation(temperature: 4, alpha: 0.7, epochs: 20, fresh: true))] && !s.distillation.ended)
        let running = Self.screen()
        let (n, none) = update(running, .char("r"), run: .training)
        #expect(n == running && none.isEmpty)
    }

    @Test func aSecondStudentIsNumberedOnScreen() {
        var second = Self.progress(); second.phase = .finished; second.generation = 2
        let text = ScreenSnapshotTests().render(120, 40, state: Self.screen(second), snapshot: Self.snapshot(second))
        #expect(text.contains("student 2 ") && text.contains("done, 5 epochs"))
        let first = ScreenSnapshotTests().render(120, 40, state: Self.screen(), snapshot: Self.snapshot())
        #expect(!first.contains("student 2"))
    }

    @Test func escLeavesWithoutStoppingTheStudent() {
        let (s, a) = update(Self.screen(), .escape, run: .training)
        #expect(s.screen == .dashboard && a.isEmpty)
    }

    @Test(arguments: [RunState.training, .paused, .finished])
    func helpListsExactlyTheKeysThatWork(run: RunState) {
        var empty = Self.progress(); empty.epochs = []
        var done = Self.progress(serving: "student"); done.phase = .stopped
        for s in [Self.screen(), Self.screen(Self.progress(serving: "student")), Self.screen(empty), Self.screen(nil), Self.screen(done)] {
            let listed = Set(DashboardKeymap.bindings(s, run: run).flatMap(\.keys))
            for k in KeymapTests.candidates {
                let (n, a) = update(s, k, run: run)
                #expect((n != s || !a.isEmpty) == listed.contains(k), "key \(k)")
            }
        }
    }

    @Test func latencyPanelNamesTheServedStudent() {
        var snap = SyntheticRun.snapshot()
        snap.attachments[ServingPrecision.key] = "student"
        let text = ScreenSnapshotTests().render(120, 40, snapshot: snap)
        #expect(text.contains("Latency") && text.contains("student, "))
    }

    @Test func screenShowsBothModelsSideBySide() {
        let text = ScreenSnapshotTests().render(120, 40, state: Self.screen(), snapshot: Self.snapshot())
        for needle in ["teacher", "student", "64-128-128-10", "64-64-64-10", "26,122", "8,970", "34.6", "22.5", "epoch 6/20",
                       "Validation accuracy", "Validation loss"] {
            #expect(text.contains(needle), "\(needle)")
        }
    }

    @Test func snapshot120x40() {
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(120, 40, state: Self.screen(), snapshot: Self.snapshot()), named: "distillation-120x40")
    }

    @Test func snapshot80x24() {
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(80, 24, state: Self.screen(), snapshot: Self.snapshot()), named: "distillation-80x24")
    }

    @Test func snapshotStarting80x24() {
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(80, 24, state: Self.screen(nil), snapshot: Self.snapshot(nil)), named: "distillation-starting-80x24")
    }
}
