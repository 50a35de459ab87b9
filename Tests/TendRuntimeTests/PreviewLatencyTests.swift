import Foundation
import Testing
import TendCore
import TendEngine
import TendMetrics
@testable import TendRuntime

/// The what-if pruning preview on a live run (the digits sample): answers from model snapshots, during and after training.
@Suite(.serialized) struct PreviewLatencyTests {
    static func liveRun() throws -> LiveRun { try digitsLiveRun(epochs: 4, servingRate: 50) }

    @Test func whatIfPruningAnswersWithin150msDuringAndAfterTraining() throws {
        let live = try Self.liveRun()
        live.start()
        defer { live.shutdown(checkpoint: false); live.session.closeInterop() }
        func answer(threshold: Double) -> Double {
            let t0 = Date()
            live.send(.previewPrune(threshold: threshold, sparsity: nil, global: true))
            while Date().timeIntervalSince(t0) < 5 {
                if let p = live.store.snapshot(includeSeries: false).attachment(PruningPreview.key, as: PruningPreview.self),
                   p.request.value == threshold { return Date().timeIntervalSince(t0) }
                Thread.sleep(forTimeInterval: 0.002)
            }
            return .infinity
        }
        while live.snapshots.latest == nil { Thread.sleep(forTimeInterval: 0.01) }
        _ = answer(threshold: 0.001)   // the worker loads its first snapshot
        var during: [Double] = []
        for i in 0..<5 where live.store.runState != .finished { during.append(answer(threshold: 0.01 * Double(i + 2))) }
        while live.store.runState != .finished { Thread.sleep(forTimeInterval: 0.05) }
        let stepAtEnd = live.trainer.step
        var after: [Double] = []
        for i in 0..<5 { after.append(answer(threshold: 0.02 * Double(i + 2))) }
        let fresh = try #require(live.store.snapshot(includeSeries: false).attachment(PruningPreview.key, as: PruningPreview.self))
        #expect(fresh.snapshotStep == stepAtEnd)   // after training, previews read the final weights
        print("what-if pruning preview latency (ms): during", during.map { Int($0 * 1000) }, "after", after.map { Int($0 * 1000) })
        #expect((during + after).allSatisfy { $0 < 0.150 })
    }
}
