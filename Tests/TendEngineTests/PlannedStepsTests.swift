import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// The planned total of a run (`Trainer.totalSteps`, the status line's `step N/TOTAL`): never below the
/// step reached, equal to it when the run ends, right after early stopping, resume and fine-tune.
@Suite struct PlannedStepsTests {
    /// Every (step, total) the trainer reported, from each step and each state change.
    final class Recorder {
        var seen: [(step: Int, total: Int)] = []
        func attach(_ t: Trainer) {
            t.onStep = { [unowned self] p in seen.append((p.step, p.totalSteps)) }
            t.onStateChange = { [unowned self, unowned t] _ in seen.append((t.step, t.totalSteps)) }
            t.onEpoch = { [unowned self, unowned t] _ in seen.append((t.step, t.totalSteps)) }
        }
        var overshoots: [(step: Int, total: Int)] { seen.filter { $0.step > $0.total } }
    }

    static let split = DataSplit(blobs(rows: 200, seed: 5), seed: 0)   // 140 train rows, 9 batches of 16

    @Test func finishedRunEndsAtItsPlannedTotal() throws {
        let t = try Trainer(config: smallConfig(epochs: 3), data: Self.split)
        let r = Recorder(); r.attach(t)
        let perEpoch = (t.data.train.count + 15) / 16
        #expect(t.totalSteps == 3 * perEpoch)
        #expect(t.run() == .finished)
        #expect(t.step == 3 * perEpoch)
        #expect(t.totalSteps == t.step)
        #expect(r.overshoots.isEmpty, "step above the planned total: \(r.overshoots)")
        #expect(r.seen.allSatisfy { $0.total == 3 * perEpoch })
    }

    @Test func earlyStoppedRunPlansTheStepsItTook() throws {
        var c = smallConfig(epochs: 20)
        c.earlyStopping = EarlyStopping(patience: 1, minDelta: 1_000)   // no epoch after the first improves
        let t = try Trainer(config: c, data: Self.split)
        let r = Recorder(); r.attach(t)
        guard case .earlyStopped = t.run() else { Issue.record("expected early stopping"); return }
        let perEpoch = (t.data.train.count + 15) / 16
        #expect(t.step == 2 * perEpoch)
        #expect(t.totalSteps == t.step)
        #expect(r.seen.last.map { $0.total == $0.step } == true)
        #expect(r.overshoots.isEmpty, "step above the planned total: \(r.overshoots)")
    }

    @Test func resumedRunPlansTheSameTotalAsTheUninterruptedOne() throws {
        let store = MemoryCheckpointStore()
        let first = try Trainer(config: smallConfig(epochs: 2), data: Self.split, store: store)
        first.run()
        let ck = try #require(store.saved["epoch-0000"])
        let resumed = try Trainer(resuming: ck, data: Self.split, epochs: 4)
        let perEpoch = (resumed.data.train.count + 15) / 16
        #expect(resumed.step == perEpoch)
        #expect(resumed.totalSteps == 4 * perEpoch)
        let r = Recorder(); r.attach(resumed)
        resumed.run()
        #expect(resumed.step == 4 * perEpoch && resumed.totalSteps == resumed.step)
        #expect(r.overshoots.isEmpty, "step above the planned total: \(r.overshoots)")
    }

    @Test func fineTuneAfterTheRunAddsItsEpochsAtItsDataSize() throws {
        let t = try Trainer(config: smallConfig(epochs: 2), data: Self.split)
        let r = Recorder(); r.attach(t)
        t.run()
        let done = t.step
        try t.scheduleFineTune(train: blobs(rows: 50, seed: 9), epochs: 3, learningRate: 1e-3)   // 4 batches of 16
        #expect(t.totalSteps == done + 3 * 4)
        t.run()
        #expect(t.step == done + 3 * 4)
        #expect(t.totalSteps == t.step)
        #expect(r.overshoots.isEmpty, "step above the planned total: \(r.overshoots)")
    }

    @Test func fineTuneQueuedMidEpochStartsAfterTheCurrentEpoch() throws {
        let commands = CommandQueue()
        let t = try Trainer(config: smallConfig(epochs: 2), data: Self.split, commands: commands)
        let perEpoch = (t.data.train.count + 15) / 16
        let r = Recorder(); r.attach(t)
        var queued = false
        t.onStep = { [unowned t] p in
            r.seen.append((p.step, p.totalSteps))
            if p.step == 3 && !queued {
                queued = true
                try? t.scheduleFineTune(train: blobs(rows: 50, seed: 9), epochs: 1, learningRate: 1e-3)
                #expect(t.totalSteps == perEpoch + 4)   // the current epoch ends, then one epoch of 4 batches
            }
        }
        t.run()
        #expect(t.step == perEpoch + 4 && t.totalSteps == t.step)
        #expect(r.overshoots.isEmpty, "step above the planned total: \(r.overshoots)")
    }
}
