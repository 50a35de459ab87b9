import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

@Suite struct QuantizationScreenTests {
    static func figures(_ db: Double) -> QuantizationErrorFigures {
        QuantizationErrorFigures(mse: 1.1e-6 * (45 - db + 1), sqnrDB: db, cosine: 0.9999, maxAbsError: 0.0029, clippedFraction: 0.001)
    }

    /// Three layers; fc1's activations are below the 30 dB threshold.
    static func preview(keep: [String] = []) -> QuantizationPreview {
        let layers = [("fc1", [128, 64], 22.0), ("fc2", [128, 128], 31.7), ("fc3", [10, 128], 32.7)].map { name, shape, act in
            QuantizationPreview.Layer(name: name, shape: shape, precision: keep.contains(name) ? "fp32" : "int8", weight: figures(44.5),
                                      activation: keep.contains(name) ? nil : figures(act), int4Weight: figures(20.4))
        }
        return QuantizationPreview(perChannel: true, symmetric: true, calibration: "minmax", keepFP32: keep, kernel: "avx2",
                                   layers: layers, fp32: .init(accuracy: 0.9778, loss: 0.2453), int8: .init(accuracy: 0.9815, loss: 0.2512),
                                   int4: .init(accuracy: 0.9704, loss: 0.2696), agreement: 0.996, fp32Bytes: 104_488,
                                   int8Bytes: 29_082, validationRows: 270, serving: "fp32", computeMilliseconds: 12)
    }

    static func screen() -> DashboardState {
        var s = DashboardState(themeNames: ["default"])
        s.screen = .quantization
        s.quantization.syncLayers(from: preview())
        return s
    }

    @Test func zOpensQuantizationAndAsksForAPreview() {
        let (s, a) = update(DashboardState(), .char("z"), run: .training)
        #expect(s.screen == .quantization)
        #expect(a == [.engine(.previewQuantize(perChannel: true, symmetric: true, calibration: "minmax", keepFP32: []))])
    }

    @Test func togglesRecomputeTheTable() {
        var s = Self.screen()
        var a: [DashboardAction] = []
        (s, a) = update(s, .char("p"), run: .paused)
        #expect(a == [.engine(.previewQuantize(perChannel: false, symmetric: true, calibration: "minmax", keepFP32: []))])
        (s, a) = update(s, .char("a"), run: .paused)
        #expect(a == [.engine(.previewQuantize(perChannel: false, symmetric: false, calibration: "minmax", keepFP32: []))])
        (s, _) = update(s, .char("c"), run: .paused)
        #expect(s.quantization.calibration == "percentile")
        (s, _) = update(s, .char("c"), run: .paused)
        (s, a) = update(s, .char("c"), run: .paused)
        #expect(a == [.engine(.previewQuantize(perChannel: false, symmetric: false, calibration: "minmax", keepFP32: []))])
    }

    @Test func kKeepsOnlyALowSQNRLayerInFP32() {
        var s = Self.screen()
        var a: [DashboardAction] = []
        (s, a) = update(s, .char("k"), run: .training)   // fc1: 22 dB < 30 dB
        #expect(s.quantization.keepFP32 == ["fc1"])
        #expect(a == [.engine(.previewQuantize(perChannel: true, symmetric: true, calibration: "minmax", keepFP32: ["fc1"]))])
        (s, _) = update(s, .down, run: .training)
        #expect(s.quantization.selected == 1)
        let (same, none) = update(s, .char("k"), run: .training)   // fc2: 31.7 dB, not below
        #expect(same == s && none.isEmpty)
        (s, _) = update(s, .up, run: .training)
        (s, _) = update(s, .char("k"), run: .training)   // kept layers can always go back
        #expect(s.quantization.keepFP32.isEmpty)
    }

    @Test func enterServesInt8AndUGoesBack() {
        let (s, a) = update(Self.screen(), .enter, run: .training)
        #expect(a == [.engine(.serveQuantized(perChannel: true, symmetric: true, calibration: "minmax", keepFP32: []))])
        #expect(s.screen == .dashboard)
        let (_, back) = update(Self.screen(), .char("u"), run: .training)
        #expect(back.first == .engine(.serveFP32))
    }

    @Test(arguments: [RunState.training, .finished])
    func helpListsExactlyTheKeysThatWork(run: RunState) {
        var second = Self.screen(); second.quantization.selected = 2
        for s in [Self.screen(), second] {
            let listed = Set(DashboardKeymap.bindings(s, run: run).flatMap(\.keys))
            for k in KeymapTests.candidates {
                let (n, a) = update(s, k, run: run)
                #expect((n != s || !a.isEmpty) == listed.contains(k), "key \(k) at row \(s.quantization.selected)")
            }
        }
    }

    @Test func latencyPanelNamesInt8Serving() {
        var snap = SyntheticRun.snapshot()
        snap.attachments[ServingPrecision.key] = "int8"
        let text = ScreenSnapshotTests().render(120, 40, snapshot: snap)
        #expect(text.contains("Latency") && text.contains("int8, "))
    }

    static func snapshot() -> MetricsSnapshot {
        var snap = SyntheticRun.snapshot()
        snap.attachments[QuantizationPreview.key] = preview(keep: ["fc3"])
        return snap
    }

    @Test func snapshot120x40() {
        var s = Self.screen(); s.quantization.keepFP32 = ["fc3"]
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(120, 40, state: s, snapshot: Self.snapshot()), named: "quantization-120x40")
    }

    @Test func snapshot80x24() {
        var s = Self.screen(); s.quantization.keepFP32 = ["fc3"]
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(80, 24, state: s, snapshot: Self.snapshot()), named: "quantization-80x24")
    }
}
