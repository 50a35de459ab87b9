import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

@Suite struct ViewModelTests {
    func snapshot(losses: [Double]) -> MetricsSnapshot {
        let clock = ManualClock(SyntheticRun.startTime)
        let store = MetricsStore(clock: clock, seriesCapacity: 64, runName: "t")
        for (i, v) in losses.enumerated() { store.record(.trainLoss, step: i, epoch: 0, wallTime: clock.now(), value: v) }
        return store.snapshot()
    }

    @Test func smoothsWithTheStateWeightAndKeepsRawAndLatest() {
        let snap = snapshot(losses: [1, 0, 1, 0])
        var state = DashboardState()
        state.smoothing = 0.5
        let line = DashboardViewModel(snapshot: snap, state: state).loss.lines[0]
        #expect(line.raw.map(\.y) == [1, 0, 1, 0])
        #expect(line.smoothed.map(\.y) == Smoothing.exponentialMovingAverage([1, 0, 1, 0], weight: 0.5))
        #expect(line.latest == 0)
        state.smoothing = 0
        #expect(DashboardViewModel(snapshot: snap, state: state).loss.lines[0].smoothed.map(\.y) == [1, 0, 1, 0])
    }

    @Test func thinsSeriesToTheChartWidthAndMarksDownsampling() {
        let snap = snapshot(losses: (0..<500).map { 1 / Double($0 + 1) })
        let model = DashboardViewModel(snapshot: snap, state: DashboardState(), maxPoints: 20)
        #expect(model.loss.lines[0].raw.count == 20)
        #expect(model.loss.downsampledBefore != nil)
        #expect(model.loss.lines[0].count == 500)
    }

    @Test func emptySnapshotHasNoInventedNumbers() {
        let model = DashboardViewModel(snapshot: MetricsSnapshot(), state: DashboardState())
        #expect(model.loss.isEmpty && model.accuracy.chart.isEmpty)
        #expect(model.accuracy.f1 == nil && model.latency.isEmpty && model.memory.isEmpty)
        #expect(model.layers.rows.isEmpty && model.events.isEmpty && model.alert == nil)
        #expect(model.status.elapsedSeconds == nil)
    }

    @Test func latencyFallsBackToAllTimeWhenTheLastTenSecondsAreEmpty() {
        let clock = ManualClock(100)
        let store = MetricsStore(clock: clock)
        for n in [500_000, 1_000_000, 2_000_000] as [UInt64] { store.recordLatency(nanos: n) }
        #expect(DashboardViewModel(snapshot: store.snapshot(), state: DashboardState()).latency.window == .last10Seconds)
        clock.advance(by: 30)
        let m = DashboardViewModel(snapshot: store.snapshot(), state: DashboardState()).latency
        #expect(m.window == .all && m.count == 3 && m.max >= 1990 && m.max <= 2010)
    }

    @Test func layerRowsAreFormattedWithADashForMissingSQNR() {
        let m = LayersModel([LayerStat(name: "dense1", shape: [64, 128], parameters: 8320, sparsity: 0.5, bitsPerWeight: 8, sqnrDB: 38.25),
                             LayerStat(name: "head", shape: [64, 10], parameters: 650)], ascii: false)
        #expect(m.rows[0] == ["dense1", "64×128", "8,320", "50.0%", "8", "38.3"])
        #expect(m.rows[1] == ["head", "64×10", "650", "0.0%", "32", "–"])
        #expect(LayersModel([LayerStat(name: "h", shape: [2, 3], parameters: 6)], ascii: true).rows[0][5] == "-")
        #expect(m.totalParameters == 8970)
        #expect(abs(m.overallSparsity! - 4160.0 / 8970) < 1e-12)
    }

    @Test func alertShowsTheNewestRecentWarning() {
        var snap = MetricsSnapshot(takenAt: 1000)
        snap.events = [EngineEvent(wallTime: 900, level: .warning, message: "old"),
                       EngineEvent(wallTime: 990, level: .error, message: "nan loss"),
                       EngineEvent(wallTime: 995, message: "info after")]
        #expect(DashboardViewModel(snapshot: snap, state: DashboardState()).alert?.message == "nan loss")
        snap.takenAt = 2000
        #expect(DashboardViewModel(snapshot: snap, state: DashboardState()).alert == nil)
    }

    @Test func statusComesFromRunInfo() {
        var snap = MetricsSnapshot(takenAt: 1242)
        snap.run = RunInfo(name: "r", state: .paused, epoch: 2, step: 1200, totalSteps: 5000, samplesPerSecond: 812,
                           etaSeconds: 83, startedAt: 1000)
        let s = DashboardViewModel(snapshot: snap, state: DashboardState()).status
        #expect(s.epoch == 3 && s.step == 1200 && s.totalSteps == 5000 && s.elapsedSeconds == 242)
        #expect(s.stateText == "paused" && s.hints.contains("space resume"))
    }
}

@Suite struct FormatTests {
    @Test func bytes() {
        #expect(DashboardFormat.bytes(512) == "512 B")
        #expect(DashboardFormat.bytes(1536) == "1.50 KiB")
        #expect(DashboardFormat.bytes(182 * 1024 * 1024) == "182 MiB")
        #expect(DashboardFormat.bytes(2.5 * 1024 * 1024 * 1024) == "2.50 GiB")
    }

    @Test func latencies() {
        #expect(DashboardFormat.micros(850) == "850µs")
        #expect(DashboardFormat.micros(850, ascii: true) == "850us")
        #expect(DashboardFormat.micros(1234) == "1.23ms")
        #expect(DashboardFormat.micros(45_600) == "45.6ms")
        #expect(DashboardFormat.micros(2_100_000) == "2.10s")
    }

    @Test func durationsAndClock() {
        #expect(DashboardFormat.duration(42) == "42s")
        #expect(DashboardFormat.duration(242) == "4m02s")
        #expect(DashboardFormat.duration(3900) == "1h05m")
        #expect(DashboardFormat.duration(-1) == "?")
        #expect(DashboardFormat.clockTime(SyntheticRun.startTime + 3723.9) == "01:02:03")
    }

    @Test func numbers() {
        #expect(DashboardFormat.grouped(1_234_567) == "1,234,567")
        #expect(DashboardFormat.grouped(-1000) == "-1,000")
        #expect(DashboardFormat.grouped(12) == "12")
        #expect(DashboardFormat.percent(0.9123) == "91.2%")
        #expect(DashboardFormat.weight(0.6) == "0.60")
    }
}

/// The loss chart under label smoothing: the train curve is the plain cross-entropy and the legend says the smoothing.
@Suite struct SmoothedLossLegendTests {
    func snapshot(smoothing: Double?) -> MetricsSnapshot {
        let clock = ManualClock(SyntheticRun.startTime)
        let store = MetricsStore(clock: clock, seriesCapacity: 64, runName: "t")
        for i in 0..<4 {
            store.record(.trainLoss, step: i, epoch: 0, wallTime: clock.now(), value: 0.52)
            if smoothing != nil { store.record(.trainCrossEntropy, step: i, epoch: 0, wallTime: clock.now(), value: 0.23) }
            store.record(.valLoss, step: i, epoch: 0, wallTime: clock.now(), value: 0.24)
        }
        store.set(.labelSmoothing, smoothing ?? 0)
        return store.snapshot()
    }

    @Test func trainCurveIsCrossEntropyAndLegendSaysTheSmoothing() {
        let model = DashboardViewModel(snapshot: snapshot(smoothing: 0.1), state: DashboardState())
        #expect(model.loss.lines[0].key == .trainCrossEntropy && model.loss.lines[0].latest == 0.23)
        #expect(model.loss.lines[0].note == "smoothing 0.1")
        var buffer = CellBuffer(width: 120, height: 40)
        DashboardView.render(model, state: DashboardState(columns: 120), into: &buffer, theme: .default, glyphs: .unicode)
        #expect(buffer.lines.joined(separator: "\n").contains("train CE 0.23 (smoothing 0.1)"))
    }

    @Test func withoutSmoothingTheTrainCurveIsTheLoss() {
        let model = DashboardViewModel(snapshot: snapshot(smoothing: nil), state: DashboardState())
        #expect(model.loss.lines[0].key == .trainLoss && model.loss.lines[0].name == "train")
        #expect(model.loss.lines[0].note == nil)
    }
}
