import Foundation
import Testing
import TendCore
import TendMetrics
@testable import TendRuntime

@Suite(.serialized) struct RollbackTests {
    @Test func numericsOrDivergenceAlertsLowerTheLearningRate() {
        let p = RollbackPolicy(learningRateFactor: 0.1)
        let cause = p.backOffCause(active: [(ruleID: "latency", id: "latency-p99"), (ruleID: "divergence", id: "divergence-train")])
        #expect(cause == "divergence-train")
        #expect(p.learningRate(after: 1e-3, cause: cause).map { abs($0 - 1e-4) < 1e-9 } == true)
        #expect(p.backOffCause(active: [(ruleID: "plateau", id: "plateau-val")]) == nil)
        #expect(p.learningRate(after: 1e-3, cause: nil) == nil)
        #expect(RollbackPolicy(learningRateFactor: 1).learningRate(after: 1e-3, cause: "numerics") == nil)
        #expect(p.learningRate(after: .infinity, cause: "numerics") == nil)
    }

    @Test func rollbackAfterTrainingRestoresTheLastGoodCheckpoint() throws {
        let live = try PreviewLatencyTests.liveRun()
        live.start()
        defer { live.shutdown(checkpoint: false); live.session.closeInterop() }
        while live.store.runState != .finished { Thread.sleep(forTimeInterval: 0.05) }
        let before = live.snapshots.latest!.version
        live.send(.rollback)   // a model change: the training thread's wait loop runs it
        let deadline = Date().addingTimeInterval(10)
        var restored: String?
        while restored == nil && Date() < deadline {
            restored = live.store.snapshot(includeSeries: false).events.map(\.message).first { $0.hasPrefix("action rollback: restored") }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(restored?.contains("checkpoints/") == true)
        #expect(live.snapshots.latest!.version > before)   // the restored weights are published for previews
    }
}
