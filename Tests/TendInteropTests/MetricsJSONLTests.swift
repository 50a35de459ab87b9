import Foundation
import Testing
import TendInterop
import TendCore

@Suite struct MetricsJSONLTests {
    func text(_ dir: TempDir, _ name: String) -> String { String(decoding: dir.read(name), as: UTF8.self) }

    @Test func writesOneJSONObjectPerLine() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let w = try MetricsJSONLWriter(path: dir.file("run/metrics.jsonl"), clock: ManualClock())
        w.record(.trainLoss, step: 12, epoch: 0, wallTime: 1764390000.123, value: 0.53)
        w.log(EngineEvent(wallTime: 1764390001.5, level: .warning, message: "loss \"spiked\""))
        w.close()
        #expect(text(dir, "run/metrics.jsonl") == """
        {"tag":"train/loss","step":12,"epoch":0,"wall_time":1764390000.123,"value":0.53}
        {"event":"loss \\"spiked\\"","level":"warning","wall_time":1764390001.5}

        """)
    }

    @Test func roundTripsPointsAndEventsIncludingNonFinite() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("metrics.jsonl")
        let w = try MetricsJSONLWriter(path: path, clock: ManualClock())
        var points: [MetricPoint] = []
        for step in 0..<100 {
            let p = MetricPoint(key: step % 2 == 0 ? .trainLoss : .valAccuracy, step: step, epoch: step / 10,
                                wallTime: 1_764_390_000 + Double(step) * 0.37, value: 1.0 / Double(step + 3))
            points.append(p); w.record(p)
        }
        let weird = MetricPoint(key: "train/grad_norm", step: 100, epoch: 10, wallTime: 1, value: .infinity)
        w.record(weird); points.append(weird)
        w.log(EngineEvent(wallTime: 5, message: "checkpoint saved: runs/a/step-100.safetensors"))
        w.close()
        let back = try MetricsJSONL.read(path: path)
        #expect(back.points == points)
        #expect(back.events == [EngineEvent(wallTime: 5, message: "checkpoint saved: runs/a/step-100.safetensors")])
        #expect(back.badLines.isEmpty && !back.tornLastLine)
    }

    @Test func flushesOnlyWhenTheIntervalHasPassedOrOnFlush() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let clock = ManualClock(100)
        let w = try MetricsJSONLWriter(path: dir.file("m.jsonl"), clock: clock, flushInterval: 1.0)
        w.record(.trainLoss, step: 1, epoch: 0, wallTime: 1, value: 1)
        try await Task.sleep(for: .milliseconds(300))
        #expect(dir.read("m.jsonl").isEmpty)
        clock.advance(by: 1.01)
        var waited = 0
        while dir.read("m.jsonl").isEmpty && waited < 40 { try await Task.sleep(for: .milliseconds(50)); waited += 1 }
        #expect(try MetricsJSONL.read(path: dir.file("m.jsonl")).points.count == 1)
        w.record(.trainLoss, step: 2, epoch: 0, wallTime: 2, value: 2)
        w.flush()
        #expect(try MetricsJSONL.read(path: dir.file("m.jsonl")).points.map(\.step) == [1, 2])
        w.close()
    }

    @Test func resumeAppendsAndCutsATornLastLine() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.write("m.jsonl", "{\"tag\":\"train/loss\",\"step\":0,\"epoch\":0,\"wall_time\":1,\"value\":2}\n{\"tag\":\"train/lo")
        let torn = try MetricsJSONL.read(path: path)
        #expect(torn.points.count == 1 && torn.tornLastLine && torn.badLines.isEmpty)
        let w = try MetricsJSONLWriter(path: path, clock: ManualClock())
        w.record(.trainLoss, step: 1, epoch: 0, wallTime: 2, value: 1.5)
        w.close()
        let back = try MetricsJSONL.read(path: path)
        #expect(back.points.map(\.step) == [0, 1])
        #expect(back.badLines.isEmpty)
        #expect(!back.tornLastLine)
    }

    @Test func reportsBadLinesWithLineNumbers() {
        let text = """
        {"tag":"a/b","step":1,"value":3}
        not json
        {"tag":"a/b","step":1.5,"value":3}
        [1,2]

        {"event":"hi","level":"loud","wall_time":1}
        {"foo":1}
        {"event":"ok"}

        """
        let c = MetricsJSONL.parse(Array(text.utf8))
        #expect(c.points.count == 1 && c.events.count == 1)
        #expect(c.badLines.map(\.line) == [2, 3, 4, 6, 7])
        #expect(c.badLines[1].reason == "\"step\" must be an integer")
        #expect(!c.tornLastLine)
    }

    @Test func concurrentWritersProduceWholeLines() async throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let path = dir.file("m.jsonl")
        let w = try MetricsJSONLWriter(path: path, flushInterval: 0.01)
        await withTaskGroup(of: Void.self) { group in
            for t in 0..<4 {
                group.addTask {
                    for s in 0..<500 { w.record(MetricKey("t\(t)/x"), step: s, epoch: 0, wallTime: 0, value: Double(s)) }
                }
            }
        }
        w.close()
        let back = try MetricsJSONL.read(path: path)
        #expect(back.points.count == 2000 && back.badLines.isEmpty)
        for t in 0..<4 { #expect(back.points.filter { $0.key.tag == "t\(t)/x" }.map(\.step) == Array(0..<500)) }
    }

    @Test func unreadableFileNamesThePath() {
        #expect(throws: MetricsJSONLError.self) { try MetricsJSONL.read(path: "/nonexistent/metrics.jsonl") }
        #expect(throws: MetricsJSONLError.self) { try MetricsJSONLWriter(path: "/proc/no/metrics.jsonl") }
    }
}
