import Testing
import TendCore
import TendMetrics

@Suite struct MetricsStoreTests {
    @Test func recordsPointsPerKeyAndBoundsTheEventLog() {
        let clock = ManualClock(1_700_000_000)
        let store = MetricsStore(clock: clock, seriesCapacity: 64, eventCapacity: 5)
        for i in 0..<100 {
            store.record(.trainLoss, step: i, epoch: 0, wallTime: clock.now(), value: 1 / Double(i + 1))
        }
        store.record(.valAccuracy, step: 99, epoch: 0, wallTime: clock.now(), value: 0.9)
        for i in 0..<12 { store.log(EngineEvent(wallTime: Double(i), message: "event \(i)")) }
        let snap = store.snapshot()
        #expect(snap.keys == [.trainLoss, .valAccuracy])
        #expect(snap.series[.trainLoss]?.count == 100)
        #expect((snap.series[.trainLoss]?.storedCount ?? 0) <= 64)
        #expect(snap.series[.trainLoss]?.latest?.y == 0.01)
        #expect(snap.events.map(\.message) == (7..<12).map { "event \($0)" })
        #expect(snap.eventsTotal == 12)
        #expect(snap.version == 113)
        #expect(snap.takenAt == 1_700_000_000)
    }

    @Test func versionOnlyMovesOnChange() {
        let store = MetricsStore(clock: ManualClock(0))
        let a = store.snapshot().version
        #expect(store.snapshot().version == a)
        store.set("model/bytes", 1024)
        store.set("run/backend", text: "openblas")
        store.setLayers([LayerStat(name: "fc1", shape: [784, 128], parameters: 100_480, sparsity: 0.5)])
        store.updateRun { $0.state = .training }
        let snap = store.snapshot()
        #expect(snap.version == a + 4)
        #expect(store.version == snap.version)
        #expect(snap.gauges["model/bytes"] == 1024)
        #expect(snap.labels["run/backend"] == "openblas")
        #expect(snap.layers.first?.weightBytes == 401_920)
        #expect(snap.run.state == .training)
    }

    @Test func concurrentRecordsFromTwoThreadsStayConsistentInSnapshots() async {
        let store = MetricsStore(clock: SystemClock(), seriesCapacity: 256)
        let perThread = 50_000
        await withTaskGroup(of: Void.self) { group in
            for name in ["a", "b"] {
                group.addTask {
                    for i in 0..<perThread {
                        store.record(MetricKey("t/\(name)"), step: i, epoch: 0, wallTime: 0, value: Double(i))
                        store.record("t/shared", step: i, epoch: 0, wallTime: 0, value: 1)
                    }
                }
            }
            group.addTask {
                var lastVersion: UInt64 = 0
                for _ in 0..<200 {
                    let snap = store.snapshot()
                    #expect(snap.version >= lastVersion)
                    lastVersion = snap.version
                    var sum = 0
                    for (key, s) in snap.series {
                        sum += s.count
                        #expect(s.storedCount <= 256)
                        if key != "t/shared", let latest = s.latest {
                            #expect(latest.x == Double(s.count - 1))   // each thread's own series is in order
                        }
                    }
                    #expect(UInt64(sum) == snap.version)             // one version per point, no torn copy
                    await Task.yield()
                }
            }
        }
        let snap = store.snapshot()
        #expect(snap.series["t/a"]?.count == perThread)
        #expect(snap.series["t/b"]?.count == perThread)
        #expect(snap.series["t/shared"]?.count == 2 * perThread)
        #expect(snap.version == UInt64(4 * perThread))
    }

    @Test func progressDrivesThroughputAndETA() {
        let clock = ManualClock(0)
        let store = MetricsStore(clock: clock, throughputWindow: 10)
        store.updateRun { $0.totalSteps = 100 }
        store.recordProgress(step: 0, epoch: 0, samples: 0)
        for step in 1...20 {
            clock.advance(by: 0.5)
            store.recordProgress(step: step, epoch: step / 10, samples: 32)
        }
        let run = store.snapshot().run
        #expect(run.step == 20 && run.epoch == 2)
        #expect(run.stepsPerSecond == 2)
        #expect(run.samplesPerSecond == 64)
        #expect(run.etaSeconds == 40)
        #expect(run.progress == 0.2)
    }

    @Test func latencyAndProcessSamplesReachTheSnapshot() {
        let clock = ManualClock(500)
        let store = MetricsStore(clock: clock)
        for i in 1...1000 { store.recordLatency(nanos: UInt64(i) * 1_000) }
        clock.advance(by: 1)
        store.recordProcessSample(ProcessSample(time: 10, rssBytes: 1 << 20, peakRSSBytes: 2 << 20, threads: 3,
                                                cpuSeconds: 1, cpuPercent: nil))
        store.recordProcessSample(ProcessSample(time: 11, rssBytes: 3 << 20, peakRSSBytes: 3 << 20, threads: 4,
                                                cpuSeconds: 1.5, cpuPercent: 50))
        let snap = store.snapshot()
        #expect(snap.latency[.last10Seconds].count == 1000)
        #expect(snap.latency[.all].p50Micros == 500)
        #expect(snap.latency[.all].throughput == 1000)
        #expect(snap.process?.threads == 4)
        #expect(snap.series[.processRSS]?.points.map(\.x) == [0, 1])
        #expect(snap.series[.processCPU]?.latest?.y == 50)
        clock.advance(by: 20)
        #expect(store.snapshot().latency[.last10Seconds].count == 0)
        store.recordLatency(nanos: .max)
        #expect(store.snapshot().latency[.all].maxMicros == Double(LatencyRecorder.highestMicros))
    }

    @Test func samplesThisProcessIntoTheStore() throws {
        let store = MetricsStore()
        let sample = try store.sampleProcess()
        #expect(sample.rssBytes > 0)
        #expect(store.snapshot().process == sample)
    }

    @Test func measuresRecordCost() {
        let ns = MetricsStoreBenchmark.nanosPerRecord(iterations: 1_000_000, seriesCount: 4)
        let withSnapshots = MetricsStoreBenchmark.nanosPerRecord(iterations: 1_000_000, seriesCount: 4, snapshotEvery: 10_000)
        let latency = MetricsStoreBenchmark.nanosPerLatencyRecord(iterations: 1_000_000)
        let warm = MetricsStoreBenchmark.microsPerLatencyReport(warm: true)
        let cold = MetricsStoreBenchmark.microsPerLatencyReport(warm: false)
        print("LatencyReport over 60 full slots: \(warm) µs (p99 of closed seconds cached), \(cold) µs cold")
        print("MetricsStore.record: \(ns) ns/call; with a snapshot every 10k: \(withSnapshots) ns/call; recordLatency: \(latency) ns/call")
        #expect(ns > 0)
    }
}
