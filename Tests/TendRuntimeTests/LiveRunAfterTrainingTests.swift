import Foundation
import Testing
import TendCore
import TendEngine
import TendMetrics
@testable import TendRuntime

/// A live run (the digits sample) after its training ends: serving keeps answering, the planned total is
/// the steps taken, a queued fine-tune joins the plan at once, and a rollback still works.
@Suite(.serialized) struct LiveRunAfterTrainingTests {
    static func liveRun() throws -> LiveRun { try digitsLiveRun(epochs: 2, servingRate: 200) }

    static func wait(timeout: Double = 60, _ condition: () -> Bool) -> Bool {
        let t0 = Date()
        while !condition() { if Date().timeIntervalSince(t0) > timeout { return false }; Thread.sleep(forTimeInterval: 0.02) }
        return true
    }

    @Test func servingContinuesAndTheTotalIsRightAfterTrainingAndAFineTune() throws {
        let live = try Self.liveRun()
        live.start()
        defer { live.shutdown(checkpoint: false); live.session.closeInterop() }
        #expect(Self.wait { live.store.runState == .finished })
        let run = live.store.snapshot(includeSeries: false).run
        #expect(run.totalSteps == run.step && run.step == live.trainer.step, "step \(run.step)/\(run.totalSteps ?? -1)")
        #expect(run.totalSteps == 2 * ((live.trainer.data.train.count + 63) / 64))

        // Serving goes on after the last epoch.
        let served = live.inference.served
        #expect(Self.wait(timeout: 10) { live.inference.served >= served + 20 }, "served \(served) -> \(live.inference.served)")
        #expect(!live.isDone && live.store.runState == .finished)

        // A fine-tune queued after training: the plan grows by its epochs as soon as it is queued.
        let stepAtEnd = live.trainer.step
        live.send(.fineTune(dataPath: "Samples/digits.csv", epochs: 1, learningRate: 1e-3))
        #expect(Self.wait { (live.store.snapshot(includeSeries: false).run.totalSteps ?? 0) > stepAtEnd })
        #expect(Self.wait { live.store.runState == .finished && live.trainer.step > stepAtEnd })
        let after = live.store.snapshot(includeSeries: false).run
        #expect(after.totalSteps == after.step && after.step == live.trainer.step, "step \(after.step)/\(after.totalSteps ?? -1)")

        // Rollback after training: the newest checkpoint without a critical alert is restored.
        let before = live.store.snapshot(includeSeries: false).eventsTotal
        live.send(.rollback)
        #expect(Self.wait(timeout: 10) {
            live.store.snapshot(includeSeries: false).events.contains { $0.message.hasPrefix("action rollback: restored") }
        }, "events since \(before)")
        #expect(live.store.runState == .finished)
    }
}
