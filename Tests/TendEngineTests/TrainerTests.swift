import Testing
import TendCore
import TendTensor
@testable import TendEngine

/// Keeps checkpoints in memory, by name.
final class MemoryCheckpointStore: CheckpointStore {
    var saved: [String: Checkpoint] = [:]
    var order: [String] = []
    func save(_ checkpoint: Checkpoint, name: String) throws -> String {
        saved[name] = checkpoint; order.append(name); return "mem://\(name)"
    }
}

/// A small separable 3-class problem: class = which of three centres a point is near.
func blobs(rows: Int, seed: UInt64) -> Dataset {
    var g = SeededGenerator(seed: seed)
    let centres: [[Float]] = [[2, 0, 0, 1], [0, 2, 0, -1], [0, 0, 2, 0]]
    var x: [Float] = [], y: [Int] = []
    for _ in 0..<rows {
        let c = Int(g.next() % 3)
        for j in 0..<4 { x.append(centres[c][j] + 0.5 * g.nextGaussian()) }
        y.append(c)
    }
    return Dataset(features: Tensor(shape: [rows, 4], storage: x), labels: y, classes: 3)
}

func smallConfig(epochs: Int) -> TrainConfig {
    var c = TrainConfig(layout: MLPLayout(sizes: [4, 16, 3], activation: .relu))
    c.epochs = epochs
    c.batchSize = 16
    c.learningRate = 1e-2
    c.seed = 3
    return c
}

@Suite struct TrainerTests {
    @Test func learnsSeparableBlobs() throws {
        let split = DataSplit(blobs(rows: 600, seed: 1), seed: 0)
        let t = try Trainer(config: smallConfig(epochs: 10), data: split)
        #expect(t.run() == .finished)
        let ev = evaluate(t.model, on: t.data.test)
        #expect(ev.report.accuracy > 0.95)
    }

    @Test func resumedRunEndsBitIdenticalToUninterrupted() throws {
        BLAS.setThreads(1)
        let split = DataSplit(blobs(rows: 400, seed: 2), seed: 0)
        let full = try Trainer(config: smallConfig(epochs: 4), data: split)
        full.run()

        let store = MemoryCheckpointStore()
        let first = try Trainer(config: smallConfig(epochs: 2), data: split, store: store)
        first.run()
        let ck = try #require(store.saved["epoch-0001"])
        let resumed = try Trainer(resuming: ck, data: split, epochs: 4)
        #expect(resumed.epoch == 2)
        resumed.run()
        #expect(resumed.step == full.step)
        for (a, b) in zip(full.model.namedTensors(), resumed.model.namedTensors()) {
            #expect(a.0 == b.0)
            #expect(a.1.storage == b.1.storage, "\(a.0) differs after resume")
        }
    }

    @Test func resumedRunWithDropoutEndsBitIdenticalToUninterrupted() throws {
        BLAS.setThreads(1)
        let split = DataSplit(blobs(rows: 400, seed: 2), seed: 0)
        func config(_ epochs: Int) -> TrainConfig {
            var c = smallConfig(epochs: epochs)
            c.layout = MLPLayout(sizes: [4, 16, 12, 3], activation: .relu, dropout: 0.3)
            return c
        }
        let full = try Trainer(config: config(4), data: split)
        full.run()

        let store = MemoryCheckpointStore()
        let first = try Trainer(config: config(2), data: split, store: store)
        first.run()
        let ck = try #require(store.saved["epoch-0001"])
        let states = try #require(ck.metadata[Checkpoint.Key.dropoutState])
        #expect(states.split(separator: ";").count == 2)
        let resumed = try Trainer(resuming: ck, data: split, epochs: 4)
        resumed.run()
        #expect(resumed.step == full.step)
        for (a, b) in zip(full.model.namedTensors(), resumed.model.namedTensors()) {
            #expect(a.1.storage == b.1.storage, "\(a.0) differs after resume with dropout")
        }
        // Without the generator states the masks differ, so the weights do too.
        var stripped = ck
        stripped.metadata[Checkpoint.Key.dropoutState] = nil
        let naive = try Trainer(resuming: stripped, data: split, epochs: 4)
        naive.run()
        #expect(naive.model.namedTensors().map(\.1) != full.model.namedTensors().map(\.1))
        stripped.metadata[Checkpoint.Key.dropoutState] = "zz"
        #expect(throws: CheckpointError.self) { try Trainer(resuming: stripped, data: split, epochs: 4) }
    }

    @Test func earlyStoppingStopsAndRestoresBest() throws {
        let split = DataSplit(blobs(rows: 300, seed: 4), seed: 0)
        var c = smallConfig(epochs: 200)
        c.learningRate = 5e-2
        c.earlyStopping = EarlyStopping(patience: 3, minDelta: 1e-4, restoreBest: true)
        let t = try Trainer(config: c, data: split)
        let outcome = t.run()
        guard case .earlyStopped = outcome else { Issue.record("expected early stop, got \(outcome)"); return }
        #expect(t.epoch < 200)
        let ev = evaluate(t.model, on: t.data.validation)
        #expect(abs(Float(ev.loss) - t.bestValLoss) < 1e-5)
    }

    @Test func pauseAndStopCommandsAreObeyed() throws {
        let split = DataSplit(blobs(rows: 300, seed: 5), seed: 0)
        let q = CommandQueue()
        let store = MemoryCheckpointStore()
        let t = try Trainer(config: smallConfig(epochs: 50), data: split, commands: q, store: store)
        var steps = 0
        t.onStep = { _ in
            steps += 1
            if steps == 3 { q.push(.checkpoint); q.push(.stop(checkpoint: true)) }
        }
        #expect(t.run() == .stopped)
        #expect(t.step == 3)
        #expect(store.saved["manual-3"] != nil)
        #expect(store.saved["last"] != nil)
    }

    @Test func checkpointRecordsEverythingResumeNeeds() throws {
        let split = DataSplit(blobs(rows: 100, seed: 6), seed: 0)
        let t = try Trainer(config: smallConfig(epochs: 1), data: split)
        t.run()
        let ck = t.makeCheckpoint(reason: "test")
        for key in [Checkpoint.Key.arch, Checkpoint.Key.config, Checkpoint.Key.normalizer, Checkpoint.Key.samplerState,
                    Checkpoint.Key.optimizerSteps, Checkpoint.Key.epoch, Checkpoint.Key.step] {
            #expect(ck.metadata[key] != nil, "missing \(key)")
        }
        #expect(ck.tensors.contains { $0.0 == "fc1.weight" })
        #expect(ck.tensors.contains { $0.0.hasPrefix("adam.") })
    }

    @Test func normaliserIsFittedOnTrainingSplitOnly() throws {
        let split = DataSplit(blobs(rows: 200, seed: 7), seed: 0)
        let t = try Trainer(config: smallConfig(epochs: 1), data: split)
        let n = Normalizer.fit(.standard, on: split.train.features)
        #expect(t.normalizer == n)
        #expect(t.normalizer != Normalizer.fit(.standard, on: split.validation.features))
    }
}

@Suite struct DataTests {
    @Test func splitIsDeterministicAndDisjoint() {
        let d = blobs(rows: 101, seed: 1)
        let a = DataSplit(d, seed: 9), b = DataSplit(d, seed: 9), c = DataSplit(d, seed: 10)
        #expect(a.trainIndices == b.trainIndices)
        #expect(a.trainIndices != c.trainIndices)
        let all = Set(a.trainIndices + a.validationIndices + a.testIndices)
        #expect(all.count == 101)
        #expect(a.testIndices.count == 15 && a.validationIndices.count == 15)
    }

    @Test func standardNormaliserMatchesHandComputedCase() {
        let x = Tensor(shape: [2, 2], storage: [1, 10, 3, 10])
        let n = Normalizer.fit(.standard, on: x)
        #expect(n.offset == [2, 10])
        #expect(n.factor == [1, 1])   // std of (1,3) is 1; constant column keeps factor 1
        #expect(n.apply(x).storage == [-1, 0, 1, 0])
        #expect(NormalizationKind(parsing: "scale:16") == .scale(16))
        #expect(NormalizationKind(parsing: "scale:0") == nil)
    }

    @Test func batchSamplerCoversEveryRowOncePerEpoch() {
        let d = blobs(rows: 37, seed: 3)
        var s = BatchSampler(batchSize: 8, rng: SeededGenerator(seed: 1))
        s.startEpoch(count: d.count)
        var x = Tensor(shape: [8, 4]), y = [Int](), rows = 0, batches = 0
        while s.next(from: d, x: &x, y: &y) { rows += y.count; batches += 1 }
        #expect(rows == 37 && batches == 5)
    }
}

/// The planned total of steps (the status line's `step N/total`) never falls below the step, and is exact
/// for a full run, an early stop, a resume and a fine-tune.
@Suite struct PlannedStepsAtEndTests {
    static let split = DataSplit(blobs(rows: 200, seed: 7), seed: 0)
    /// Training rows at batch 16 (the last batch may be short).
    static let perEpoch = (split.train.count + 15) / 16

    @Test func aFullRunPlansEpochsTimesBatchesAndEndsOnIt() throws {
        let t = try Trainer(config: smallConfig(epochs: 3), data: Self.split)
        #expect(t.totalSteps == 3 * Self.perEpoch)
        var seen: [Int] = []
        t.onStep = { seen.append($0.totalSteps) }
        t.run()
        #expect(Set(seen) == [3 * Self.perEpoch])
        #expect(t.totalSteps == t.step && t.step == 3 * Self.perEpoch)
    }

    @Test func anEarlyStopEndsWithTheStepsTaken() throws {
        var c = smallConfig(epochs: 200)
        c.learningRate = 5e-2
        c.earlyStopping = EarlyStopping(patience: 2, minDelta: 10, restoreBest: false)   // stops after 2 evaluations
        let t = try Trainer(config: c, data: Self.split)
        guard case .earlyStopped = t.run() else { Issue.record("expected an early stop"); return }
        #expect(t.totalSteps == t.step)
        #expect(t.step < 200 * Self.perEpoch)
    }

    @Test func aResumedRunPlansFromItsCheckpoint() throws {
        let store = MemoryCheckpointStore()
        let first = try Trainer(config: smallConfig(epochs: 2), data: Self.split, store: store)
        first.run()
        let resumed = try Trainer(resuming: try #require(store.saved["epoch-0000"]), data: Self.split, epochs: 4)
        #expect(resumed.totalSteps == 4 * Self.perEpoch)
        var seen: [Int] = []
        resumed.onStep = { seen.append($0.totalSteps) }
        resumed.run()
        #expect(Set(seen) == [4 * Self.perEpoch])
        #expect(resumed.totalSteps == resumed.step)
    }

    @Test func aFineTuneAfterTheRunPlansItsOwnEpochs() throws {
        let t = try Trainer(config: smallConfig(epochs: 2), data: Self.split)
        t.run()
        let done = t.step
        #expect(t.totalSteps == done)
        // 64 rows at batch 16: 4 steps per fine-tune epoch.
        try t.scheduleFineTune(train: blobs(rows: 64, seed: 9), epochs: 3, learningRate: 1e-3)
        #expect(t.totalSteps == done + 3 * 4)   // queued: its epochs join the plan at once
        var seen: [Int] = []
        t.onStep = { seen.append($0.totalSteps) }
        t.run()
        #expect(Set(seen) == [done + 3 * 4])
        #expect(t.step == done + 3 * 4 && t.totalSteps == t.step)
    }
}

@Suite struct CheckpointSelfDescriptionTests {
    @Test func checkpointsSayHowTheNormalizerApplies() throws {
        let t = try Trainer(config: smallConfig(epochs: 1), data: DataSplit(blobs(rows: 60, seed: 1), seed: 0))
        let meta = t.makeCheckpoint(reason: "test").metadata
        #expect(meta[Checkpoint.Key.normalizerFormula] == "x' = (x - offset[j]) * factor[j] for each input feature j, applied before the first layer")
        #expect(meta[Checkpoint.Key.normalizer]?.contains("\"offset\"") == true && meta[Checkpoint.Key.normalizer]?.contains("\"factor\"") == true)
    }
}
