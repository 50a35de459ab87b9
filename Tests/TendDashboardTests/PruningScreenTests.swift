import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

@Suite struct PruningScreenTests {
    static func whatIf() -> DashboardState {
        var s = DashboardState(themeNames: ["default"])
        s.screen = .whatIfPruning
        return s
    }

    /// A preview with hand-chosen figures (three weight tensors, a histogram and a sweep).
    static func preview(threshold: Double = 0.02, sweep: Bool = true) -> PruningPreview {
        let rows = [PruningPreview.Row(name: "fc1.weight", sparsity: 0.09, kept: 7_455, count: 8_192, denseBytes: 32_768, storedBytes: 30_822),
                    PruningPreview.Row(name: "fc2.weight", sparsity: 0.123, kept: 14_372, count: 16_384, denseBytes: 65_536, storedBytes: 59_494),
                    PruningPreview.Row(name: "fc3.weight", sparsity: 0.115, kept: 1_133, count: 1_280, denseBytes: 5_120, storedBytes: 4_690)]
        let counts: [Double] = [2210, 1900, 1700, 1500, 1200, 900, 700, 400, 250, 120, 60, 20, 8, 3, 1, 0, 1]
        let hist = counts.enumerated().map { PruningPreview.Bucket(lower: Double($0.offset) * 0.04, upper: Double($0.offset + 1) * 0.04, count: $0.element) }
        let curve = sweep ? stride(from: 0.0, through: 0.95, by: 0.05).map {
            PruningPreview.SweepPoint(sparsity: $0, accuracy: 0.97 - ($0 > 0.6 ? ($0 - 0.6) * 2.4 : 0)) } : nil
        return PruningPreview(request: PruningRequest(mode: .threshold, value: threshold), sparsity: 0.112, cut: threshold,
                              rows: rows, accuracy: 0.9741, loss: 0.2693, baselineAccuracy: 0.9752, baselineLoss: 0.2672,
                              denseBytes: 104_488, storedBytes: 96_196, baselineStoredBytes: 104_552, parametersKept: 23_226,
                              parameterCount: 26_122, histogram: hist, sweep: curve, snapshotStep: 265, computeMilliseconds: 1.4)
    }

    static func snapshot(_ p: PruningPreview?) -> MetricsSnapshot {
        var snap = SyntheticRun.snapshot()
        if let p { snap.attachments[PruningPreview.key] = p }
        return snap
    }

    @Test func xOpensWhatIfAndAsksForAPreview() {
        let (s, a) = update(DashboardState(), .char("x"), run: .training)
        #expect(s.screen == .whatIfPruning)
        #expect(a == [.engine(.previewPrune(threshold: 0, sparsity: nil, global: true))])
    }

    @Test func arrowsMoveThresholdSmallAndBigSteps() {
        var s = Self.whatIf()
        var a: [DashboardAction] = []
        for k in [Key.right, .right, .char("l")] { (s, a) = update(s, k, run: .paused) }
        #expect(s.pruning.threshold == 0.015)
        #expect(a == [.engine(.previewPrune(threshold: 0.015, sparsity: nil, global: true))])
        (s, _) = update(s, .char("L"), run: .paused)
        #expect(s.pruning.threshold == 0.065)
        (s, _) = update(s, .char("h"), run: .paused)
        (s, _) = update(s, .char("H"), run: .paused)
        #expect(s.pruning.threshold == 0.01)
        (s, _) = update(s, .left, run: .paused); (s, _) = update(s, .left, run: .paused); (s, _) = update(s, .left, run: .paused)
        #expect(s.pruning.threshold == 0)
    }

    @Test func modeAndScopeTogglesChangeTheRequest() {
        var s = Self.whatIf()
        var a: [DashboardAction] = []
        (s, a) = update(s, .char("m"), run: .finished)
        #expect(s.pruning.mode == .sparsity)
        (s, _) = update(s, .char("L"), run: .finished)
        (s, a) = update(s, .right, run: .finished)
        #expect(a == [.engine(.previewPrune(threshold: nil, sparsity: 0.11, global: true))])
        (s, a) = update(s, .char("g"), run: .finished)
        #expect(a == [.engine(.previewPrune(threshold: nil, sparsity: 0.11, global: false))])
        for _ in 0..<20 { (s, _) = update(s, .char("L"), run: .finished) }
        #expect(s.pruning.sparsity == PruningScreenState.maxSparsity)
    }

    @Test func commitFineTuneUndoSweepAndEscape() {
        var s = Self.whatIf()
        (s, _) = update(s, .right, run: .training)
        let (afterEnter, commit) = update(s, .enter, run: .training)
        #expect(commit == [.engine(.pruneAndFineTune(threshold: 0.005, sparsity: nil, global: true, epochs: 0))])
        #expect(afterEnter.screen == .dashboard)
        let (_, tune) = update(s, .char("r"), run: .paused)
        #expect(tune == [.engine(.pruneAndFineTune(threshold: 0.005, sparsity: nil, global: true, epochs: 3))])
        let (_, undo) = update(s, .char("u"), run: .finished)
        #expect(undo.first == .engine(.undo))
        let (_, sweep) = update(s, .char("w"), run: .finished)
        #expect(sweep == [.engine(.sweepPrune(global: true))])
        let (left, none) = update(s, .escape, run: .training)
        #expect(left.screen == .dashboard && none.isEmpty && left.pruning == s.pruning)
    }

    @Test(arguments: [RunState.training, .paused, .finished])
    func helpListsExactlyTheKeysThatWork(run: RunState) {
        var sparsity = Self.whatIf(); sparsity.pruning.mode = .sparsity; sparsity.pruning.sparsity = 0.5
        for s in [Self.whatIf(), sparsity] {
            let listed = Set(DashboardKeymap.bindings(s, run: run).flatMap(\.keys))
            for k in KeymapTests.candidates {
                let (n, a) = update(s, k, run: run)
                #expect((n != s || !a.isEmpty) == listed.contains(k), "key \(k) while \(run)")
            }
        }
    }

    @Test func viewShowsFiguresOfThePreview() {
        var s = Self.whatIf(); s.pruning.threshold = 0.02
        let text = ScreenSnapshotTests().render(120, 40, state: s, snapshot: Self.snapshot(Self.preview()))
        #expect(text.contains("sparsity 11.2%"))
        #expect(text.contains("val acc  0.9741 (-0.0011)"))
        #expect(text.contains("fc2.weight"))
        #expect(text.contains("Accuracy vs sparsity"))
    }

    @Test func snapshot120x40() {
        var s = Self.whatIf(); s.pruning.threshold = 0.02
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(120, 40, state: s, snapshot: Self.snapshot(Self.preview())), named: "pruning-120x40")
    }

    @Test func snapshot80x24() {
        var s = Self.whatIf(); s.pruning.threshold = 0.02
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(80, 24, state: s, snapshot: Self.snapshot(Self.preview())), named: "pruning-80x24")
    }

    @Test func snapshotWaitingForFirstPreview80x24() {
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(80, 24, state: Self.whatIf(), snapshot: Self.snapshot(nil)), named: "pruning-waiting-80x24")
    }

    @Test func snapshotASCII80x24() {
        var s = Self.whatIf(); s.pruning.threshold = 0.02
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(80, 24, state: s, snapshot: Self.snapshot(Self.preview()), glyphs: .ascii), named: "pruning-ascii-80x24")
    }

    @Test func helpOverlay120x40() {
        var s = Self.whatIf(); s.overlay = .help
        let t = ScreenSnapshotTests()
        t.assertSnapshot(t.render(120, 40, state: s, snapshot: Self.snapshot(Self.preview())), named: "pruning-help-120x40")
    }
}
