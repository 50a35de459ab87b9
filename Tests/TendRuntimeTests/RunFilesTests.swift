import Foundation
import Testing
import TendCore
import TendEngine
import TendInterop
import TendMetrics
@testable import TendRuntime

/// The run directory's files under kill -9, resume and a full disk (a `WriteCall` that runs out of space).
@Suite(.serialized) struct RunFilesTests {
    static func options(_ dir: String, epochs: Int = 3) -> RunOptions {
        var o = RunOptions()
        o.data = "Samples/digits.csv"
        o.hidden = "16"
        o.epochs = epochs
        o.threads = 1
        o.out = dir
        return o
    }

    static func tempDir() -> String { NSTemporaryDirectory() + "tend-runfiles-\(UUID().uuidString)" }

    @Test func metricsReachTheDiskBeforeEachCheckpointDoes() throws {
        let dir = Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        var o = Self.options(dir)
        o.flushSeconds = 1000   // only the flush before each checkpoint can put them there
        let session = try TrainingSession(options: o)
        defer { session.closeInterop() }
        var covered: [Bool] = []
        let trainer = session.trainer
        trainer.onCheckpoint = { path, _ in
            guard path.contains("epoch-") else { return }
            let contents = (try? MetricsJSONL.read(path: session.metricsFile.path)) ?? MetricsJSONL.Contents()
            covered.append(contents.points.contains { $0.key == .valLoss && $0.epoch == trainer.epoch })
        }
        trainer.run()
        #expect(covered == [true, true, true])
    }

    @Test func resumeAppendsToTheSameFilesMarksTheGapAndRemovesStaleTempFiles() throws {
        let dir = Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try TrainingSession(options: Self.options(dir, epochs: 2))
        first.trainer.run()
        first.metricsFile.close()
        first.closeInterop()
        let events = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("events.out.tfevents.") }
        // What a kill during a checkpoint write leaves.
        let stale = dir + "/checkpoints/epoch-0002.safetensors.tmp-4999999"
        FileManager.default.createFile(atPath: stale, contents: Data([1, 2, 3]))
        var o = Self.options(dir, epochs: 3)
        o.out = nil
        o.resume = dir + "/checkpoints/epoch-0000.safetensors"
        let second = try TrainingSession(options: o)
        #expect(second.runDirectory == dir)
        #expect(second.removedTempFiles == [stale])
        #expect(!FileManager.default.fileExists(atPath: stale))
        second.trainer.run()
        second.metricsFile.close()
        second.closeInterop()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("events.out.tfevents.") } == events)
        let log = try MetricsJSONL.read(path: dir + "/metrics.jsonl")
        #expect(log.badLines.isEmpty)
        let marker = try #require(log.events.firstIndex { $0.message.hasPrefix("resumed from epoch-0000 (epoch 1, step ") })
        #expect(marker > 0)
        // The first run's epoch 2 and the resumed run's epoch 2 are both there, on either side of the marker.
        #expect(log.points.filter { $0.key == .valLoss }.map(\.epoch) == [0, 1, 1, 2])
    }

    @Test func aFullDiskStopsAHeadlessRunWithTendsMessageAndLeavesWholeFiles() throws {
        let dir = Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let (io, disk) = WriteCall.failing(afterBytes: 1 << 30)
        let session = try TrainingSession(options: Self.options(dir, epochs: 6), io: io)
        var heard: [String] = []
        session.onWriteFailure = { heard.append($0.description) }
        session.trainer.onCheckpoint = { path, _ in if path.hasSuffix("epoch-0000.safetensors") { disk.fill() } }
        let outcome = session.trainer.run()
        session.metricsFile.close()
        session.closeInterop()
        #expect(outcome == .stopped)
        #expect(session.trainer.epoch < 6)
        let failure = try #require(session.writeFailure)
        #expect(failure.isOutOfSpace)
        #expect(heard.first == failure.description)
        // The optimizer state is written first, in its sibling file: that is the write that fails.
        let checkpointMessage = try #require(heard.first { $0.contains("checkpoints/epoch-0001.") })
        #expect(checkpointMessage.hasPrefix("\(dir)/checkpoints/epoch-0001.optimizer.safetensors: no space left on device (needed "))
        #expect(checkpointMessage.hasSuffix(" MB); the previous checkpoint epoch-0000 is intact") || checkpointMessage.hasSuffix(" kB); the previous checkpoint epoch-0000 is intact"))
        let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/checkpoints")
        #expect(names.sorted() == ["epoch-0000.optimizer.safetensors", "epoch-0000.safetensors"])
        #expect(try readCheckpoint(path: dir + "/checkpoints/epoch-0000.safetensors").metadata[Checkpoint.Key.epoch] == "0")
        let log = try MetricsJSONL.read(path: dir + "/metrics.jsonl")
        #expect(log.badLines.isEmpty && !log.tornLastLine)
        let events = try #require(EventFileWriter.newestEventFile(in: dir))
        let bytes = [UInt8](FileManager.default.contents(atPath: events) ?? Data())
        #expect(bytes.count > 0)
        var offset = 0
        bytes.withUnsafeBytes { b in while case let .record(_, next) = TFRecord.step(b, at: offset) { offset = next } }
        #expect(offset == bytes.count)
    }

    @Test func aFailedWriteInALiveRunPausesItAndRaisesACriticalAlert() throws {
        let dir = Self.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = MetricsStore(runName: "x")
        let commands = CommandQueue()
        let session = try TrainingSession(options: Self.options(dir), extraSinks: [store], commands: commands,
                                          policy: AlertPolicy(failOn: nil, pauseOnCritical: true))
        defer { session.closeInterop() }
        let e = FileWriteError(path: dir + "/metrics.jsonl", code: ENOSPC, bytesNeeded: 412)
        session.writeFailed(e)
        session.writeFailed(e)
        #expect(commands.drain() == [.pause, .pause])   // resumed on a still-full disk, it pauses again
        let alert = try #require(session.health?.engine.snapshot().active.first { $0.ruleID == "io.write" })
        #expect(alert.severity == .critical)
        #expect(alert.message == "\(dir)/metrics.jsonl: no space left on device (needed 412 B)")
        #expect(store.snapshot(includeSeries: false).events.contains { $0.level == .error && $0.message.hasPrefix("write failed: \(dir)/metrics.jsonl") })
    }
}

/// The weights file of a checkpoint is exactly the model's state dict (what `load_state_dict(strict=True)` wants);
/// the optimizer state sits in `NAME.optimizer.safetensors` and comes back on resume and rollback.
@Suite(.serialized) struct OptimizerSiblingTests {
    @Test func weightsFileHoldsOnlyTheModelAndResumeReadsTheSibling() throws {
        let dir = RunFilesTests.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let session = try TrainingSession(options: RunFilesTests.options(dir, epochs: 2))
        session.trainer.run()
        session.metricsFile.close()
        session.closeInterop()
        let weights = try SafetensorsFile(path: dir + "/checkpoints/epoch-0001.safetensors")
        let modelNames = session.trainer.model.parameters.map(\.name)
        #expect(weights.tensorInfo.map(\.name).sorted() == modelNames.sorted())
        #expect(weights.metadata[Checkpoint.Key.optimizerFile] == "epoch-0001.optimizer.safetensors")
        let state = try SafetensorsFile(path: dir + "/checkpoints/epoch-0001.optimizer.safetensors")
        #expect(state.tensorInfo.count == 2 * modelNames.count)   // Adam's m and v
        #expect(state.tensorInfo.allSatisfy { $0.name.hasPrefix("adam.") })
        let ck = try readCheckpoint(path: dir + "/checkpoints/epoch-0001.safetensors")
        #expect(ck.optimizerStateCount == state.tensorInfo.count)
        #expect(ck.tensors.count == modelNames.count + state.tensorInfo.count)
        // Resume continues with the optimizer state (Adam's step count and moments).
        var o = RunFilesTests.options(dir, epochs: 3)
        o.resume = dir + "/checkpoints/epoch-0001.safetensors"
        o.out = nil
        let resumed = try TrainingSession(options: o)
        defer { resumed.closeInterop() }
        #expect(resumed.trainer.optimizer.stepCount == session.trainer.optimizer.stepCount)
        // The checkpoint list for rollback and reports lists weights files only.
        #expect(try RunCheckpoints.list(in: dir + "/checkpoints").allSatisfy { !$0.path.hasSuffix(".optimizer.safetensors") })
    }

    @Test func olderCheckpointsWithInlineOptimizerStateStillResume() throws {
        let dir = RunFilesTests.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let session = try TrainingSession(options: RunFilesTests.options(dir, epochs: 1))
        session.trainer.run()
        session.closeInterop()
        // Written the old way: everything in one file, no optimizer_file.
        let ck = session.trainer.makeCheckpoint(reason: "old")
        let old = dir + "/old.safetensors"
        try SafetensorsWriter.write(tensors: ck.tensors, metadata: ck.metadata, to: old)
        let back = try readCheckpoint(path: old)
        #expect(back.optimizerStateCount == 0 && back.tensors.count == ck.tensors.count)
        let t = try Trainer(resuming: back, data: session.split, epochs: 2)
        #expect(t.optimizer.stepCount == session.trainer.optimizer.stepCount)
    }
}

extension OptimizerSiblingTests {
    @Test func weightsAndAnOptimizerSiblingOfAnotherStepAreRefused() throws {
        let dir = RunFilesTests.tempDir(); defer { try? FileManager.default.removeItem(atPath: dir) }
        let session = try TrainingSession(options: RunFilesTests.options(dir, epochs: 2))
        session.trainer.run()
        session.closeInterop()
        let ckDir = dir + "/checkpoints"
        // What a kill between rewriting last.optimizer.safetensors and last.safetensors would leave.
        try FileManager.default.removeItem(atPath: ckDir + "/last.optimizer.safetensors")
        try FileManager.default.copyItem(atPath: ckDir + "/epoch-0000.optimizer.safetensors", toPath: ckDir + "/last.optimizer.safetensors")
        #expect(throws: CheckpointError.self) { try readCheckpoint(path: ckDir + "/last.safetensors") }
    }
}
