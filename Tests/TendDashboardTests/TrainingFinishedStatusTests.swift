import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

/// After training ends the dashboard keeps serving; the status line says training finished and what the
/// keys can do next (fine-tune, prune, quantize, rollback, quit), and those keys work.
@Suite struct TrainingFinishedStatusTests {
    static func snapshot() -> MetricsSnapshot {
        let clock = ManualClock(SyntheticRun.startTime)
        let store = MetricsStore(clock: clock, seriesCapacity: 64, runName: "digits")
        store.updateRun { $0.state = .finished; $0.step = 690; $0.totalSteps = 690; $0.epoch = 29 }
        return store.snapshot()
    }

    func statusLine(width: Int) -> String {
        var buffer = CellBuffer(width: width, height: 40)
        DashboardView.render(snapshot: Self.snapshot(), state: DashboardState(columns: width), into: &buffer, theme: .default, glyphs: .unicode)
        return buffer.lines.last { $0.contains("digits") } ?? ""
    }

    @Test func statusLineSaysTrainingFinishedAndTheNextSteps() {
        let wide = statusLine(width: 160)
        #expect(wide.contains("training finished"))
        #expect(wide.contains("step 690/690"))
        #expect(wide.contains("f fine-tune  x prune  z quantize  b rollback  q quit  ? help"), "\(wide)")
        for width in [80, 100, 120] {
            let line = statusLine(width: width)
            #expect(line.contains("training finished") || line.contains("finished"), "\(width): \(line)")
            #expect(line.contains("q quit") && line.contains("? help"), "\(width): \(line)")
            #expect(line.contains("f fine-tune"), "\(width): \(line)")
        }
    }

    @Test func theNamedKeysWorkAfterTraining() {
        let s = DashboardState()
        #expect(update(s, .char("f"), run: .finished).0.overlay != .none)
        #expect(update(s, .char("x"), run: .finished).0.screen == .whatIfPruning)
        #expect(update(s, .char("z"), run: .finished).0.screen == .quantization)
        #expect(update(s, .char("b"), run: .finished).1 == [.engine(.rollback)])
        #expect(update(s, .char("q"), run: .finished).1 == [.quit])
        #expect(update(s, .char("b"), run: .stopped).1.isEmpty)   // a stopped run's training thread has ended
        #expect(DashboardKeymap.hints(s, run: .training).contains("space pause"))
        #expect(!DashboardKeymap.hints(s, run: .training).contains("b rollback"))
    }
}
