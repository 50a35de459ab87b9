import Foundation
import Testing
import TendCore
import TendTensor
@testable import TendInterop

/// Every Tend writer on a full disk (a `WriteCall` that runs out of space): whole records or nothing,
/// Tend's own message naming the file and the size, the previous file intact.
@Suite struct DiskFullTests {
    @Test func metricsLogKeepsOnlyWholeLinesOnAFullDiskAndCatchesUpWhenSpaceIsFreed() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (io, disk) = WriteCall.failing(afterBytes: 100)
        let path = dir.file("metrics.jsonl")
        let w = try MetricsJSONLWriter(path: path, clock: ManualClock(), io: io)
        let heard = Heard()
        w.onWriteError = { heard.add($0) }
        for step in 0..<5 { w.record(.trainLoss, step: step, epoch: 0, wallTime: 1, value: 0.5) }
        w.flush()
        // 5 lines of ~70 bytes do not fit in 100: nothing partial is left, the failure is named at once.
        #expect(dir.read("metrics.jsonl").isEmpty)
        let e = try #require(heard.errors.first)
        #expect(heard.errors.count == 1)
        #expect(e.isOutOfSpace)
        #expect(e.description.hasPrefix("\(path): no space left on device (needed "))
        #expect(w.writeFailure != nil)
        w.record(.trainLoss, step: 5, epoch: 0, wallTime: 1, value: 0.5)
        w.flush()
        #expect(heard.errors.count == 1)   // still failing: reported once
        disk.refill(10_000)
        w.flush()
        #expect(w.writeFailure == nil)
        w.close()
        let back = try MetricsJSONL.read(path: path)
        #expect(back.points.map(\.step) == Array(0...5))
        #expect(back.badLines.isEmpty && !back.tornLastLine)
    }

    @Test func eventFileKeepsOnlyWholeRecordsOnAFullDisk() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let (io, _) = WriteCall.failing(afterBytes: 200)
        let w = try EventFileWriter(directory: dir.path, wallTime: 7, host: "h", flushInterval: 60, io: io)
        let heard = Heard()
        w.onWriteError = { heard.add($0) }
        for step in 0..<20 { w.record(MetricPoint(key: .trainLoss, step: step, epoch: 0, wallTime: 8, value: 1)) }
        w.flush()
        #expect(heard.errors.count == 1)
        #expect(heard.errors.first?.description.contains("events.out.tfevents.7.h: no space left on device") == true)
        w.close()
        let bytes = dir.read("events.out.tfevents.7.h")
        #expect(!bytes.isEmpty)   // the file_version record fitted
        #expect(EventFileWriter.wholeRecords(bytes) == bytes.count)
    }

    @Test func checkpointOnAFullDiskNamesTheFileAndSizeAndLeavesThePreviousFileAndNoTempFile() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("epoch-0003.safetensors")
        let tensors = [("w", Tensor(shape: [250, 1000]))]   // 1 MB of floats
        try SafetensorsWriter.write(tensors: [("w", Tensor(shape: [2]))], to: path)
        let before = dir.read("epoch-0003.safetensors")
        let (io, _) = WriteCall.failing(afterBytes: 4096)
        #expect {
            try SafetensorsWriter.write(tensors: tensors, metadata: ["a": "b"], to: path, io: io)
        } throws: { error in
            guard let e = error as? FileWriteError else { return false }
            return e.path == path && e.isOutOfSpace && e.description == "\(path): no space left on device (needed 1.0 MB)"
        }
        #expect(dir.read("epoch-0003.safetensors") == before)
        #expect(dir.entries() == ["epoch-0003.safetensors"])
    }

    @Test func bytesAreFormattedAsPeopleReadThem() {
        #expect(FileWriteError.formatBytes(412) == "412 B")
        #expect(FileWriteError.formatBytes(3_400) == "3.4 kB")
        #expect(FileWriteError.formatBytes(2_100_000) == "2.1 MB")
        #expect(FileWriteError(path: "runs/x/checkpoints/epoch-0003.safetensors", code: ENOSPC, bytesNeeded: 2_100_000,
                               note: "the previous checkpoint epoch-0002 is intact").description
                == "runs/x/checkpoints/epoch-0003.safetensors: no space left on device (needed 2.1 MB); the previous checkpoint epoch-0002 is intact")
    }

    /// A real full filesystem: /dev/full fails every write with ENOSPC.
    @Test func theRealDevFullIsReportedTheSameWay() throws {
        guard FileManager.default.isWritableFile(atPath: "/dev/full") else { return }
        let dir = TempDir(); defer { dir.cleanup() }
        let link = dir.file("metrics.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/full")
        let w = try MetricsJSONLWriter(path: link, clock: ManualClock())
        w.record(.trainLoss, step: 1, epoch: 0, wallTime: 1, value: 1)
        w.flush()
        #expect(w.writeFailure?.description.hasPrefix("\(link): no space left on device (needed ") == true)
        w.close()
    }
}

@Suite struct RunFileRecoveryTests {
    @Test func resumeContinuesTheNewestEventFileAndCutsATornRecord() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let first = try EventFileWriter(directory: dir.path, wallTime: 100, host: "h")
        first.record(MetricPoint(key: .trainLoss, step: 1, epoch: 0, wallTime: 101, value: 1))
        first.close()
        // A kill mid-write: half a record at the end.
        let whole = dir.read("events.out.tfevents.100.h")
        let half = TFRecord.frame(EventEncoder.summary(wallTime: 102, step: 2, values: [("train/loss", .scalar(2))])).prefix(9)
        dir.write("events.out.tfevents.100.h", bytes: whole + half)
        let resumed = try EventFileWriter(directory: dir.path, wallTime: 200, host: "h", appendToNewest: true)
        #expect(resumed.path == dir.file("events.out.tfevents.100.h"))
        resumed.sessionStart(step: 1, message: "resumed from epoch-0000", wallTime: 150)
        resumed.record(MetricPoint(key: .trainLoss, step: 2, epoch: 1, wallTime: 201, value: 0.5))
        resumed.close()
        #expect(dir.entries() == ["events.out.tfevents.100.h"])
        let bytes = dir.read("events.out.tfevents.100.h")
        #expect(EventFileWriter.wholeRecords(bytes) == bytes.count)
        #expect(Array(bytes.prefix(whole.count)) == whole)
        // One file_version, then the old point, the session start (field 6, status START), the new point.
        var records: [[UInt8]] = []
        bytes.withUnsafeBytes { b in
            var o = 0
            while case let .record(data, next) = TFRecord.step(b, at: o) { records.append(Array(b[data])); o = next }
        }
        #expect(records.count == 4)
        #expect(records[2] == EventEncoder.sessionLog(wallTime: 150, step: 1, status: .start, message: "resumed from epoch-0000"))
        #expect(records[2].contains(0x32))   // field 6, length-delimited: the SessionLog
        let w = LogdirWatcher(root: dir.path)
        w.poll()
        #expect(w.snapshot().run(".")?.tags["train/loss"]?.scalars.map(\.step) == [1, 2])
    }

    @Test func metricsLogCutsATornLastLineAndMarksTheResume() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.write("m.jsonl", "{\"tag\":\"train/loss\",\"step\":0,\"epoch\":0,\"wall_time\":1,\"value\":2}\n{\"tag\":\"train/lo")
        let w = try MetricsJSONLWriter(path: path, clock: ManualClock())
        w.logResume(epoch: 3, step: 40, checkpoint: "epoch-0003", wallTime: 5)
        w.close()
        let back = try MetricsJSONL.read(path: path)
        #expect(back.badLines.isEmpty && !back.tornLastLine)
        #expect(back.events.map(\.message) == ["resumed from epoch-0003 (epoch 4, step 40); lines above with a later step are from the interrupted run"])
        #expect(String(decoding: dir.read("m.jsonl"), as: UTF8.self).contains(#""resumed_from_epoch":3,"resumed_from_step":40}"#))
    }

    @Test func staleTempFilesOfDeadProcessesAreRemovedAndLiveOnesKept() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        // PID 1 is alive; a PID above pid_max never is.
        dir.write("epoch-0004.safetensors.tmp-1", "x")
        dir.write("epoch-0005.safetensors.tmp-4999999", "x")
        dir.write("epoch-0003.safetensors", "x")
        dir.write("notes.tmp-abc", "x")
        let removed = StaleTempFiles.remove(in: dir.path)
        #expect(removed == [dir.file("epoch-0005.safetensors.tmp-4999999")])
        #expect(dir.entries() == ["epoch-0003.safetensors", "epoch-0004.safetensors.tmp-1", "notes.tmp-abc"])
    }
}

/// Collects errors reported from any thread.
final class Heard: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [FileWriteError] = []
    func add(_ e: FileWriteError) { lock.lock(); list.append(e); lock.unlock() }
    var errors: [FileWriteError] { lock.lock(); defer { lock.unlock() }; return list }
}

@Suite struct EventFileTextTests {
    @Test func alertsAndActionsAreTextSummariesAtTheNewestStepAndRoutineLinesAreNot() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let w = try EventFileWriter(directory: dir.path, wallTime: 9, host: "h")
        w.record(MetricPoint(key: .trainLoss, step: 40, epoch: 1, wallTime: 10, value: 1))
        w.log(EngineEvent(wallTime: 11, message: "epoch 2/5: train loss 0.5"))
        w.log(EngineEvent(wallTime: 12, level: .warning, message: "alert fired warning plateau: val loss flat"))
        w.log(EngineEvent(wallTime: 13, message: "action stop early: at step 40, restoring the best weights"))
        w.close()
        let watcher = LogdirWatcher(root: dir.path)
        watcher.poll()
        let tag = try #require(watcher.snapshot().run(".")?.tags[EventFileWriter.eventsTag])
        #expect(tag.plugin == "text")
        #expect(tag.texts.map(\.text) == [["warning: alert fired warning plateau: val loss flat"],
                                          ["info: action stop early: at step 40, restoring the best weights"]])
        #expect(tag.texts.map(\.step) == [40, 40])
    }
}
