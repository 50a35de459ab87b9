import Foundation
import Testing
import TendCore
import TendMetrics
@testable import TendInterop

/// The watch screen's loader: runs and records appear without restart, corrupt files warn, alerts fire.
@Suite struct LogdirLoaderTests {
    func events(_ steps: Range<Int>, tag: String = "train/loss", value: (Int) -> Float) -> [UInt8] {
        var out: [UInt8] = []
        for s in steps { out += Fixture.frame(Fixture.event(wall: Double(s), step: Int64(s), [Fixture.simpleScalar(tag, value(s))])) }
        return out
    }

    @Test func picksUpNewRunsAndRecordsAppendedLater() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("a"), withIntermediateDirectories: true)
        let head = Fixture.frame(Fixture.versionEvent(0)) + events(0..<10) { Float(10 - $0) }
        dir.write("a/events.out.tfevents.1.h", bytes: head)
        let loader = LogdirLoader(root: dir.path)
        loader.pollNow()
        var s = loader.snapshot()
        #expect(s.runs.map(\.name) == ["a"])
        #expect(s.run("a")?.tracks["train/loss"]?.count == 10)
        #expect(s.tags == ["train/loss"])
        // Records appended to the file, a second run, and a half-written record (not read until complete).
        let more = events(10..<15) { Float(10 - $0) * 0.1 }
        let partial = events(15..<16) { _ in 0.5 }
        dir.write("a/events.out.tfevents.1.h", bytes: head + more + partial.prefix(partial.count - 3))
        try FileManager.default.createDirectory(atPath: dir.file("b/c"), withIntermediateDirectories: true)
        dir.write("b/c/events.out.tfevents.2.h", bytes: events(0..<3, tag: "val/loss") { Float($0) })
        loader.pollNow()
        s = loader.snapshot()
        #expect(s.runs.map(\.name) == ["a", "b/c"])
        #expect(s.run("a")?.tracks["train/loss"]?.count == 15)
        #expect(s.run("a")?.isLoaded == false)          // the cut record is still pending
        #expect(s.run("b/c")?.tracks["val/loss"]?.latest == 2)
        #expect(s.tags == ["train/loss", "val/loss"])
        dir.write("a/events.out.tfevents.1.h", bytes: head + more + partial)
        loader.pollNow()
        s = loader.snapshot()
        #expect(s.run("a")?.tracks["train/loss"]?.latest == 0.5)
        #expect(s.progress.isComplete && s.progress.runs == 2)
    }

    @Test func backgroundLoaderListsRunsAtOnceAndFollowsNewOnes() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var o = SyntheticLogdir.Options()
        o.runs = 6; o.tags = 3; o.steps = 300
        try SyntheticLogdir.write(root: dir.path, o)
        let loader = LogdirLoader(root: dir.path)
        loader.start(rescanInterval: 0.1, convertInterval: 0.02)
        defer { loader.stop() }
        #expect(loader.snapshot().runs.count == 6)        // listed before anything is read
        func wait(_ done: (RunsSnapshot) -> Bool) -> RunsSnapshot {
            var s = loader.snapshot()
            for _ in 0..<300 where !done(s) { Thread.sleep(forTimeInterval: 0.02); s = loader.snapshot() }
            return s
        }
        var s = wait { $0.progress.isComplete && $0.runs.allSatisfy { $0.tracks.count == 3 } }
        #expect(s.runs.allSatisfy { $0.tracks["train/loss"]?.count == 300 })
        o.prefix = "new"; o.runs = 1
        try SyntheticLogdir.write(root: dir.path, o)
        s = wait { $0.run("new0000")?.tracks["val/loss"]?.count == 300 }
        #expect(s.runs.count == 7)
        #expect(s.run("new0000")?.isLoaded == true)
    }

    @Test func corruptFileWarnsAndLoadingGoesOn() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var o = SyntheticLogdir.Options()
        o.runs = 2; o.tags = 2; o.steps = 50; o.corrupt = true
        try SyntheticLogdir.write(root: dir.path, o)
        // A third run whose file has a bad length CRC after 5 good records: it stops there, with a warning.
        try FileManager.default.createDirectory(atPath: dir.file("broken"), withIntermediateDirectories: true)
        var bad = Fixture.frame(Fixture.event(wall: 9, step: 9, [Fixture.simpleScalar("train/loss", 1)]))
        bad[9] ^= 0x40
        dir.write("broken/events.out.tfevents.3.h", bytes: events(0..<5) { _ in 1 } + bad + events(10..<12) { _ in 1 })
        let loader = LogdirLoader(root: dir.path)
        loader.pollNow()
        let s = loader.snapshot()
        #expect(s.runs.count == 3)
        #expect(s.warningsTotal == 2)
        #expect(s.warnings.contains { $0.hasPrefix("run0000/events.out.tfevents") && $0.contains("fails its CRC; record skipped") })
        #expect(s.warnings.contains { $0.hasPrefix("broken/") && $0.contains("rest of the file is ignored") })
        #expect(s.run("run0000")?.tracks["train/loss"]?.count == 49)   // one record skipped
        #expect(s.run("run0001")?.tracks["train/loss"]?.count == 50)
        #expect(s.run("broken")?.tracks["train/loss"]?.count == 5)
    }

    @Test func nanRunGetsACriticalAlert() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        var o = SyntheticLogdir.Options()
        o.runs = 3; o.tags = 2; o.steps = 100; o.nanRuns = 1
        try SyntheticLogdir.write(root: dir.path, o)
        let loader = LogdirLoader(root: dir.path)
        loader.pollNow()
        let s = loader.snapshot()
        #expect(s.run("run0002")?.worstAlert == .critical)
        #expect(s.run("run0002")?.alerts.first?.message.contains("train/loss is nan") == true)
        #expect(s.run("run0000")?.worstAlert == nil)
    }
}
