import Testing
import TendCore
import TendUI
@testable import TendDashboard

@Suite struct UpdateTests {
    let wide = DashboardState(themeNames: ["default", "light", "mono"], columns: 120)
    let narrow = DashboardState(themeNames: ["default"], columns: 80)

    func press(_ s: DashboardState, _ keys: [Key], run: RunState = .training) -> (DashboardState, [DashboardAction]) {
        var state = s, all: [DashboardAction] = []
        for k in keys { let (n, a) = update(state, k, run: run); state = n; all += a }
        return (state, all)
    }

    @Test func tabCyclesFocusThroughAllPanelsAndWraps() {
        var s = wide
        var seen: [DashboardPanel] = []
        for _ in 0..<6 { s = update(s, .tab, run: .training).0; seen.append(s.focus) }
        #expect(seen == [.accuracy, .latency, .memory, .layers, .events, .loss])
        #expect(update(wide, .backTab, run: .training).0.focus == .events)
    }

    @Test func arrowsAndVimKeysMoveFocusInTheThreeByTwoGridAndWrap() {
        #expect(press(wide, [.right]).0.focus == .accuracy)
        #expect(press(wide, [.char("l"), .char("l"), .char("l")]).0.focus == .loss)
        #expect(press(wide, [.left]).0.focus == .latency)
        #expect(press(wide, [.char("h")]).0.focus == .latency)
        #expect(press(wide, [.down]).0.focus == .memory)
        #expect(press(wide, [.char("j"), .char("j")]).0.focus == .loss)
        #expect(press(wide, [.up]).0.focus == .memory)
        #expect(press(wide, [.char("k")]).0.focus == .memory)
    }

    @Test func arrowsFollowTheTwoByThreeGridOnNarrowTerminals() {
        #expect(press(narrow, [.down]).0.focus == .latency)
        #expect(press(narrow, [.down, .down]).0.focus == .layers)
        #expect(press(narrow, [.up]).0.focus == .layers)
        #expect(press(narrow, [.right, .right]).0.focus == .loss)
        #expect(press(narrow, [.down, .right]).0.focus == .memory)
    }

    @Test func enterZoomsTheFocusedPanelAndBack() {
        let (z, a) = press(wide, [.tab, .enter])
        #expect(z.zoomed == .accuracy && a.isEmpty)
        #expect(update(z, .enter, run: .training).0.zoomed == nil)
        #expect(update(z, .escape, run: .training).0.zoomed == nil)
    }

    @Test func digitsZoomTheNumberedPanelAndToggleBack() {
        let (z, _) = press(wide, [.char("4")])
        #expect(z.zoomed == .memory && z.focus == .memory)
        #expect(press(z, [.char("4")]).0.zoomed == nil)
        #expect(press(z, [.char("6")]).0.zoomed == .events)
        #expect(press(wide, [.char("7")]).0 == wide)
        #expect(press(wide, [.char("0")]).0 == wide)
    }

    @Test func zoomFollowsFocusMoves() {
        let (z, _) = press(wide, [.char("1"), .tab])
        #expect(z.zoomed == .accuracy && z.focus == .accuracy)
    }

    @Test func quitAsksFirstWhileTrainingAndConfirmStopsWithCheckpoint() {
        let (asked, a0) = press(wide, [.char("q")])
        #expect(asked.overlay == .confirmQuit && a0.isEmpty)
        for yes in [Key.char("y"), .enter] {
            let (done, a) = press(asked, [yes])
            #expect(done.overlay == .none)
            #expect(a == [.engine(.stop(checkpoint: true)), .quit])
        }
        for no in [Key.char("n"), .escape] {
            let (back, a) = press(asked, [no])
            #expect(back.overlay == .none && a.isEmpty)
        }
        // Other keys do nothing while the question is open.
        #expect(press(asked, [.char(" "), .tab, .char("q")]).0 == asked)
        #expect(press(asked, [.char(" "), .tab]).1.isEmpty)
        #expect(press(wide, [.char("q")], run: .paused).0.overlay == .confirmQuit)
    }

    @Test func quitIsImmediateWhenTheRunIsOver() {
        for run in [RunState.finished, .stopped, .error] {
            let (s, a) = press(wide, [.char("q")], run: run)
            #expect(a == [.quit] && s.overlay == .none)
        }
    }

    @Test func spacePausesOrResumesByRunState() {
        #expect(press(wide, [.char(" ")], run: .training).1 == [.engine(.pause)])
        #expect(press(wide, [.char(" ")], run: .paused).1 == [.engine(.resume)])
        #expect(press(wide, [.char(" ")], run: .finished).1.isEmpty)
    }

    @Test func checkpointOnlyWhileTheRunIsLive() {
        #expect(press(wide, [.char("c")], run: .training).1 == [.engine(.checkpoint)])
        #expect(press(wide, [.char("c")], run: .paused).1 == [.engine(.checkpoint)])
        #expect(press(wide, [.char("c")], run: .finished).1.isEmpty)
    }

    @Test func smoothingStepsByTenthsAndClamps() {
        #expect(press(wide, [.char("s")]).0.smoothing == 0.7)
        #expect(press(wide, [.char("S")]).0.smoothing == 0.5)
        #expect(press(wide, Array(repeating: .char("s"), count: 8)).0.smoothing == 0.99)
        #expect(press(wide, Array(repeating: .char("S"), count: 9)).0.smoothing == 0)
        #expect(press(wide, Array(repeating: .char("s"), count: 8) + [.char("S")]).0.smoothing == 0.89)
    }

    @Test func logScaleRawPointsAndThemeToggle() {
        #expect(press(wide, [.char("L")]).0.logLoss)
        #expect(!press(wide, [.char("L"), .char("L")]).0.logLoss)
        #expect(!press(wide, [.char("r")]).0.showRaw)
        let (t1, a1) = press(wide, [.char("t")])
        #expect(t1.themeIndex == 1 && a1 == [.setTheme(1)])
        let (t3, a3) = press(wide, [.char("t"), .char("t"), .char("t")])
        #expect(t3.themeIndex == 0 && a3.last == .setTheme(0))
        #expect(press(narrow, [.char("t")]).1.isEmpty)
    }

    @Test func helpOpensAndClosesAndSwallowsOtherKeys() {
        let (h, _) = press(wide, [.char("?")])
        #expect(h.overlay == .help)
        #expect(press(h, [.char("q"), .char(" ")]).1.isEmpty)
        #expect(press(h, [.escape]).0.overlay == .none)
        #expect(press(h, [.char("?")]).0.overlay == .none)
    }

    @Test func escapeClosesMessagesAndUnzooms() {
        var s = wide
        s.overlay = .message(title: "Fine-tune", text: "not available")
        #expect(press(s, [.escape]).0.overlay == .none)
        #expect(press(s, [.enter]).0.overlay == .none)
        #expect(press(s, [.char("q")]).1.isEmpty)
        #expect(press(wide, [.escape]).0 == wide)
    }

    @Test func pageKeysScrollTheEventsWhenFocused() {
        var s = wide
        s.focus = .events
        #expect(press(s, [.pageUp, .pageUp]).0.eventsScroll == 20)
        #expect(press(s, [.pageUp, .pageUp, .pageDown]).0.eventsScroll == 10)
        #expect(press(s, [.pageUp, .pageUp, .end]).0.eventsScroll == 0)
        #expect(press(s, [.pageDown]).0 == s)
        #expect(press(wide, [.pageUp]).0 == wide)
    }

    @Test func resizeAndUnboundKeysAreIgnored() {
        for k in [Key.resize, .pageUp, .function(5), .char("X"), .char("Z"), .home] {
            let (s, a) = update(wide, k, run: .training)
            #expect(s == wide && a.isEmpty)
        }
    }
}
