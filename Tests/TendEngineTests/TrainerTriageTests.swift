import Foundation
import Synchronization
import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// Collects everything a trainer publishes, for assertions on events.
final class RecordingSink: MetricSink, @unchecked Sendable {
    private let lock = Mutex<([MetricPoint], [EngineEvent])>(([], []))
    func record(_ point: MetricPoint) { lock.withLock { $0.0.append(point) } }
    func log(_ event: EngineEvent) { lock.withLock { $0.1.append(event) } }
    var points: [MetricPoint] { lock.withLock { $0.0 } }
    var events: [EngineEvent] { lock.withLock { $0.1 } }
    var keys: Set<MetricKey> { Set(points.map(\.key)) }
    func messages(containing text: String) -> [String] { events.map(\.message).filter { $0.contains(text) } }
}

/// The triage actions the trainer owns: stop early with the best weights, raise L2, change the learning
/// rate, and naming the layer where a loss went non-finite.
@Suite struct TrainerTriageTests {
    @Test func stopEarlyCommandRestoresTheBestWeightsSeen() throws {
        let split = DataSplit(blobs(rows: 300, seed: 11), seed: 0)
        let q = CommandQueue()
        let sink = RecordingSink()
        let store = MemoryCheckpointStore()
        let t = try Trainer(config: smallConfig(epochs: 100), data: split, sink: sink, commands: q, store: store)
        var valLosses: [Double] = []
        t.onEpoch = { summary in
            valLosses.append(summary.validation!.loss)
            if summary.epoch == 4 {
                // Ruin the weights after the fifth evaluation, then ask to stop: the best must come back.
                for p in t.model.parameters { p.value = Tensor(shape: p.value.shape, repeating: 3) }
                q.push(.stopEarly)
            }
        }
        let outcome = t.run()
        #expect(outcome == .earlyStopped(epoch: 5))
        #expect(t.state == .finished)
        let best = valLosses.min()!
        let now = evaluate(t.model, on: t.data.validation).loss
        #expect(abs(now - best) < 1e-5, "val loss \(now) after stop early, best seen \(best)")
        #expect(!sink.messages(containing: "action stop early: restored best weights").isEmpty)
        #expect(store.saved["last"]?.metadata[Checkpoint.Key.reason] == "stopped early")
    }

    @Test func stopEarlyBeforeAnyEvaluationKeepsTheWeights() throws {
        let split = DataSplit(blobs(rows: 100, seed: 12), seed: 0)
        let q = CommandQueue()
        let sink = RecordingSink()
        let t = try Trainer(config: smallConfig(epochs: 5), data: split, sink: sink, commands: q)
        q.push(.stopEarly)
        #expect(t.run() == .earlyStopped(epoch: 0))
        #expect(t.step == 0)
        #expect(!sink.messages(containing: "no evaluation yet").isEmpty)
    }

    @Test func raiseL2MultipliesWithAFloorAndResumesAPausedRun() throws {
        let split = DataSplit(blobs(rows: 100, seed: 13), seed: 0)
        let q = CommandQueue()
        let sink = RecordingSink()
        var c = smallConfig(epochs: 1)
        c.optimizer = .sgd
        let t = try Trainer(config: c, data: split, sink: sink, commands: q)
        // Paused first: raising L2 must resume, or this run would wait for the watchdog's resume.
        q.push(.pause); q.push(.raiseL2(factor: 10, atLeast: 1e-4))
        DispatchQueue.global().asyncAfter(deadline: .now() + 10) { q.push(.resume) }
        let start = Date()
        #expect(t.run() == .finished)
        #expect(Date().timeIntervalSince(start) < 8, "raise L2 did not resume the paused run")
        #expect(t.l2 == 1e-4 && t.config.l2 == 1e-4)
        #expect((t.optimizer as? SGD)?.l2 == 1e-4)
        #expect(!sink.messages(containing: "action raise L2: l2 0.0 -> 0.0001").isEmpty)
        q.push(.raiseL2(factor: 10, atLeast: 1e-4))
        try t.scheduleFineTune(train: split.train, epochs: 1, learningRate: 1e-2)
        t.run()
        #expect(abs(t.l2 - 1e-3) < 1e-9)
    }

    @Test func raiseL2OnAdamWRaisesTheWeightDecay() throws {
        var c = smallConfig(epochs: 1)
        c.optimizer = .adamw
        c.weightDecay = 0.01
        let t = try Trainer(config: c, data: DataSplit(blobs(rows: 60, seed: 14), seed: 0))
        t.setL2(0.1)
        #expect(t.config.weightDecay == 0.1 && t.config.l2 == 0)
        #expect((t.optimizer as? AdamW)?.weightDecay == 0.1)
    }

    @Test func learningRateChangeTakesEffectOnTheNextStep() throws {
        let split = DataSplit(blobs(rows: 100, seed: 15), seed: 0)
        let sink = RecordingSink()
        let t = try Trainer(config: smallConfig(epochs: 1), data: split, sink: sink)
        t.setLearningRate(2.5e-3)
        t.run()
        let rates = sink.points.filter { $0.key == .learningRate }.map(\.value)
        #expect(!rates.isEmpty && rates.allSatisfy { abs($0 - 2.5e-3) < 1e-9 })
    }

    @Test func nonFiniteLossNamesTheLayerWithNonFiniteWeights() throws {
        let split = DataSplit(blobs(rows: 100, seed: 16), seed: 0)
        let sink = RecordingSink()
        let t = try Trainer(config: smallConfig(epochs: 1), data: split, sink: sink)
        let fc2 = t.model.parameters.first { $0.name == "fc2.weight" }!
        fc2.value.storage[5] = .nan
        t.run()
        let errors = sink.events.filter { $0.level == .error }.map(\.message)
        #expect(errors.first?.contains("first non-finite: fc2.weight (weights)") == true, "\(errors.first ?? "no error event")")
    }

    @Test func nonFiniteLossNamesTheLayerWhoseActivationsOverflowed() throws {
        let split = DataSplit(blobs(rows: 100, seed: 17), seed: 0)
        let t = try Trainer(config: smallConfig(epochs: 1), data: split)
        let fc1 = t.model.parameters.first { $0.name == "fc1.weight" }!
        fc1.value = Tensor(shape: fc1.value.shape, repeating: 3e38)   // finite, but x·W overflows to ±∞
        #expect(t.firstNonFiniteParameter() == nil)
        let x = Tensor(shape: [2, 4], storage: [1, 1, 1, 1, 2, 0, 0, 1])
        #expect(t.diagnoseNonFinite(input: x) == "fc1 (activations overflowed; weights finite)")
        // The probe runs on a copy: the live model still holds its (huge, finite) weights.
        #expect(t.model.parameters[0].value.storage[0] == 3e38)
        let sink = RecordingSink()
        let run = try Trainer(config: smallConfig(epochs: 1), data: split, sink: sink)
        run.model.parameters.first { $0.name == "fc1.weight" }!.value = Tensor(shape: fc1.value.shape, repeating: 3e38)
        run.run()
        let first = sink.events.first { $0.level == .error }?.message ?? ""
        #expect(first.contains("first non-finite: fc1 (activations overflowed; weights finite)"), "\(first)")
    }
}
