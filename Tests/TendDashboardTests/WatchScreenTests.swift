import Foundation
import Testing
import TendCore
import TendMetrics
import TendUI
@testable import TendDashboard

/// The watch screen (`tend watch LOGDIR`): snapshots of whole screens over a synthetic logdir, and the
/// pure key handling.
@Suite struct WatchScreenTests {
    /// Three runs: two healthy with different decay, one whose loss turns NaN (a critical alert).
    static func snapshot() -> RunsSnapshot {
        func track(_ tag: String, _ f: (Double) -> Double, steps: Int = 200) -> ScalarTrack {
            let xs = (0..<steps).map(Double.init)
            return ScalarTrack(tag: tag, steps: xs, values: xs.map(f))
        }
        let nan = AlertEvaluation(ruleID: "numerics", severity: .critical, firing: true,
                                  message: "train/loss is nan at step 199", metric: .trainLoss, suggestion: "lower the learning rate")
        let runs = [
            WatchedRun(name: "baseline", tracks: ["train/loss": track("train/loss") { 2 * exp(-$0 / 40) + 0.1 },
                                                  "val/loss": track("val/loss") { 2 * exp(-$0 / 40) + 0.2 },
                                                  "train/accuracy": track("train/accuracy") { 1 - exp(-$0 / 50) }], isLoaded: true),
            WatchedRun(name: "big-lr", tracks: ["train/loss": track("train/loss") { 2 * exp(-$0 / 15) + 0.3 },
                                                "val/loss": track("val/loss") { 2 * exp(-$0 / 15) + 0.45 }], isLoaded: true),
            WatchedRun(name: "diverged", tracks: ["train/loss": track("train/loss") { $0 > 150 ? .nan : 2 * exp(-$0 / 60) + 0.2 }],
                       alerts: [nan], isLoaded: false),
        ]
        return RunsSnapshot(root: "logs", version: 3, runs: runs,
                            progress: WatchProgress(runs: 3, runsLoaded: 2, bytesRead: 900, bytesKnown: 1000),
                            warnings: ["diverged/events.out.tfevents.1.h: byte 420: record data fails its CRC; record skipped"])
    }

    func render(_ width: Int, _ height: Int, state: WatchState = WatchState(), glyphs: Glyphs = .unicode) -> String {
        var buffer = CellBuffer(width: width, height: height)
        WatchView.render(snapshot: Self.snapshot(), state: state, into: &buffer, theme: .default, glyphs: glyphs)
        return buffer.lines.joined(separator: "\n") + "\n"
    }

    func context(_ state: WatchState, width: Int = 120, height: Int = 40) -> WatchContext {
        WatchContext(snapshot: Self.snapshot(), state: state, width: width, height: height)
    }

    func press(_ state: WatchState, _ keys: Key..., width: Int = 120, height: Int = 40) -> (WatchState, [WatchAction]) {
        var s = state, actions: [WatchAction] = []
        for k in keys {
            let r = updateWatch(s, k, context: context(s, width: width, height: height))
            s = r.0; actions += r.1
        }
        return (s, actions)
    }

    // MARK: Snapshots

    @Test func watchOverlay80x24() { ScreenSnapshotTests().assertSnapshot(render(80, 24), named: "watch-80x24") }
    @Test func watchOverlay120x40() { ScreenSnapshotTests().assertSnapshot(render(120, 40), named: "watch-120x40") }
    @Test func watchASCII80x24() { ScreenSnapshotTests().assertSnapshot(render(80, 24, glyphs: .ascii), named: "watch-ascii-80x24") }

    @Test func watchFilteredList120x40() {
        let (s, _) = press(WatchState(), .char("/"), .char("b"), .char("*"))
        let text = render(120, 40, state: s)
        ScreenSnapshotTests().assertSnapshot(text, named: "watch-filtered-120x40")
        #expect(text.contains("/b*_"))
        #expect(text.contains("baseline") && text.contains("big-lr") && !text.contains("diverged │"))
    }

    @Test func watchTagPicker80x24() {
        let (s, _) = press(WatchState(), .char("t"), width: 80, height: 24)
        let text = render(80, 24, state: s)
        ScreenSnapshotTests().assertSnapshot(text, named: "watch-tag-picker-80x24")
        #expect(text.contains("Tag for chart 1"))
        #expect(text.contains("train/accuracy"))
    }

    @Test func tooSmallScreenSaysSo() {
        #expect(render(70, 20).contains("terminal too small"))
    }

    @Test func screenShowsProgressAlertsAndWarnings() {
        let text = render(120, 40)
        #expect(text.contains("loaded 2/3 runs"))
        #expect(text.contains("1 critical"))
        #expect(text.contains("NaN"))                     // badge on the diverged run
        #expect(text.contains("record data fails its CRC"))
        #expect(text.contains("1 train/loss") && text.contains("2 val/loss"))
    }

    // MARK: Keys

    @Test func spaceTogglesTheRunUnderTheCursorAndChartsFollow() {
        let (s, _) = press(WatchState(), .down, .char(" "))
        #expect(s.hiddenRuns == ["big-lr"])
        let model = WatchViewModel(snapshot: Self.snapshot(), state: s, width: 120, height: 40)
        #expect(model.charts[0].lines.map(\.run) == ["baseline", "diverged"])
        #expect(model.rows.first { $0.name == "big-lr" }?.shown == false)
        let (back, _) = press(s, .char(" "))
        #expect(back.hiddenRuns.isEmpty)
        let (only, _) = press(WatchState(), .char("G"), .char("o"))
        #expect(only.hiddenRuns == ["baseline", "big-lr"])
    }

    @Test func filterAppliesToRunsAndTagsByGlobOrSubstring() {
        #expect(NameFilter("b*").matches("big-lr") && !NameFilter("b*").matches("diverged"))
        #expect(NameFilter("LOSS").matches("val/loss"))
        #expect(NameFilter("run0[0-1]?").matches("run012") && !NameFilter("run0[0-1]?").matches("run021"))
        #expect(NameFilter("[!a]*").matches("big") && !NameFilter("[!a]*").matches("abc"))
        #expect(NameFilter("*/loss").matches("train/loss") && !NameFilter("*/loss").matches("train/loss_x"))
        // A filter matching runs lists those runs; one matching only tags keeps every run and offers those tags.
        let (runs, _) = press(WatchState(), .char("/"), .char("b"), .char("i"), .enter)
        #expect(context(runs).runs == ["big-lr"])
        #expect(!runs.editingFilter && runs.filter == "bi")
        let (tags, _) = press(WatchState(), .char("/"), .char("a"), .char("c"), .char("c"))
        #expect(context(tags).runs.count == 3)
        #expect(context(tags).tags == ["train/accuracy"])
        #expect(context(tags).panelTags.first == "train/accuracy")
        let (cleared, _) = press(tags, .escape)
        #expect(cleared.filter.isEmpty && !cleared.editingFilter)
    }

    @Test func tagPickerPutsTheChosenTagOnTheFocusedPanel() {
        let (s, _) = press(WatchState(), .tab, .char("t"), .char("a"), .char("c"), .enter)
        #expect(s.overlay == .none)
        #expect(s.panelTags == [1: "train/accuracy"])
        #expect(context(s).panelTags.prefix(2) == ["train/loss", "train/accuracy"])
        let (cancel, _) = press(WatchState(), .char("t"), .escape)
        #expect(cancel.panelTags.isEmpty && cancel.overlay == .none)
    }

    @Test func smoothingLogAxisAndQuit() {
        let (s, _) = press(WatchState(), .char("s"), .char("l"))
        #expect(s.smoothing == 0.7)
        #expect(s.logPanels == [0])
        let (_, actions) = press(WatchState(), .char("q"))
        #expect(actions == [.quit])
    }

    @Test func everyKeyInTheHelpDoesSomething() {
        let state = WatchState(themeNames: ["default", "light"])
        let ctx = context(state)
        for binding in WatchKeymap.bindings(state, context: ctx) {
            for key in binding.keys {
                // From a state where the key has an effect: cursor in the middle for moves.
                var from = state
                from.cursorRun = "big-lr"
                from.focusedPanel = key == .char("2") ? 0 : 1
                from.filter = key == .escape ? "x" : ""
                let (next, actions) = updateWatch(from, key, context: context(from))
                #expect(next != from || !actions.isEmpty, "\(binding.label): \(key) did nothing")
            }
        }
    }

    @Test func chartSmoothingIsTensorBoardsAndKeepsNonFinitePoints() {
        var s = WatchState()
        s.smoothing = 0.6
        let model = WatchViewModel(snapshot: Self.snapshot(), state: s, width: 120, height: 40)
        let line = try! #require(model.charts[0].lines.first { $0.run == "diverged" })
        let ys = line.raw.map(\.y)
        #expect(line.smoothed.map(\.y).elementsEqual(Smoothing.exponentialMovingAverage(ys, weight: 0.6)) {
            $0 == $1 || ($0.isNaN && $1.isNaN)
        })
        #expect(line.smoothed.last!.y.isNaN)
    }
}
