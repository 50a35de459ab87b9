import TendUI

/// What the watch screen asks the executable to do after a key.
public enum WatchAction: Sendable, Equatable {
    case quit
    case setTheme(Int)
}

/// The watch screen's key handling: the new state and what to do outside, for `key` pressed while
/// `context` describes the frame on screen. Pure; a key that does nothing returns the state unchanged.
/// On the main screen it honours exactly `WatchKeymap.bindings` (a test holds the two together).
public func updateWatch(_ state: WatchState, _ key: Key, context: WatchContext) -> (WatchState, [WatchAction]) {
    var s = state
    switch state.overlay {
    case .help:
        if key == .escape || key == .char("?") || key == .enter || key == .char("q") { s.overlay = .none }
        return (s, [])
    case .tagPicker(var picker):
        updatePicker(&s, &picker, key, context: context)
        return (s, [])
    case .none:
        break
    }
    if s.editingFilter {
        switch key {
        case .enter, .down, .up, .tab: s.editingFilter = false
        case .escape: s.editingFilter = false; s.filter = ""
        case .backspace, .delete:
            if s.filter.isEmpty { s.editingFilter = false } else { s.filter.removeLast() }
        case .char(let c):
            guard let scalar = c.unicodeScalars.first, scalar.value >= 0x20, scalar.value != 0x7f, s.filter.count < 64 else { break }
            s.filter.append(c)
        default: break
        }
        return (s, [])
    }
    let runs = context.runs
    let cursor = context.cursorIndex(s)
    func moveCursor(to i: Int) {
        guard !runs.isEmpty else { return }
        s.cursorRun = runs[max(0, min(runs.count - 1, i))]
    }
    let panels = context.panelTags.count
    switch key {
    case .up, .char("k"): moveCursor(to: cursor - 1)
    case .down, .char("j"): moveCursor(to: cursor + 1)
    case .pageUp: moveCursor(to: cursor - context.pageRows)
    case .pageDown: moveCursor(to: cursor + context.pageRows)
    case .home, .char("g"): moveCursor(to: 0)
    case .end, .char("G"): moveCursor(to: runs.count - 1)
    case .char(" "):
        guard cursor < runs.count else { break }
        let name = runs[cursor]
        if s.hiddenRuns.contains(name) { s.hiddenRuns.remove(name) } else { s.hiddenRuns.insert(name) }
        s.cursorRun = name
    case .char("a"):
        if runs.contains(where: { !s.hiddenRuns.contains($0) }) { s.hiddenRuns.formUnion(runs) }
        else { s.hiddenRuns.subtract(runs) }
    case .char("o"):
        guard cursor < runs.count else { break }
        s.hiddenRuns.formUnion(runs)
        s.hiddenRuns.remove(runs[cursor])
        s.cursorRun = runs[cursor]
    case .tab where panels > 0: s.focusedPanel = (min(s.focusedPanel, panels - 1) + 1) % panels
    case .backTab where panels > 0: s.focusedPanel = (min(s.focusedPanel, panels - 1) + panels - 1) % panels
    case .char(let c) where c.isASCII && c.isWholeNumber:
        guard let n = c.wholeNumberValue, n >= 1, n <= panels else { break }
        s.focusedPanel = n - 1
    case .char("t"), .enter:
        guard panels > 0, !context.allTags.isEmpty else { break }
        let panel = min(s.focusedPanel, panels - 1)
        let current = context.panelTags[panel]
        s.overlay = .tagPicker(WatchState.TagPicker(panel: panel, selection: current.flatMap { context.allTags.firstIndex(of: $0) } ?? 0))
    case .char("/"): s.editingFilter = true
    case .escape:
        s.filter = ""
    case .char("s"): s.smoothing = steppedSmoothing(s.smoothing, by: DashboardState.smoothingStep)
    case .char("S"): s.smoothing = steppedSmoothing(s.smoothing, by: -DashboardState.smoothingStep)
    case .char("l"):
        guard panels > 0 else { break }
        let p = min(s.focusedPanel, panels - 1)
        if s.logPanels.contains(p) { s.logPanels.remove(p) } else { s.logPanels.insert(p) }
    case .char("r"): s.showRaw.toggle()
    case .char("T"):
        guard s.themeNames.count > 1 else { break }
        s.themeIndex = (s.themeIndex + 1) % s.themeNames.count
        return (s, [.setTheme(s.themeIndex)])
    case .char("?"): s.overlay = .help
    case .char("q"): return (s, [.quit])
    default: break
    }
    return (s, [])
}

/// Keys of the tag picker: typing filters the list, arrows move, enter puts the tag on the panel.
private func updatePicker(_ s: inout WatchState, _ picker: inout WatchState.TagPicker, _ key: Key, context: WatchContext) {
    let tags = context.pickerTags(picker.query)
    switch key {
    case .escape: s.overlay = .none; return
    case .enter:
        if !tags.isEmpty {
            s.panelTags[picker.panel] = tags[min(picker.selection, tags.count - 1)]
            s.focusedPanel = picker.panel
        }
        s.overlay = .none
        return
    case .up: picker.selection = max(0, picker.selection - 1)
    case .down: picker.selection = min(max(0, tags.count - 1), picker.selection + 1)
    case .pageUp: picker.selection = max(0, picker.selection - 10)
    case .pageDown: picker.selection = min(max(0, tags.count - 1), picker.selection + 10)
    case .home: picker.selection = 0
    case .end: picker.selection = max(0, tags.count - 1)
    case .backspace, .delete:
        if !picker.query.isEmpty { picker.query.removeLast(); picker.selection = 0 }
    case .char(let c):
        guard let scalar = c.unicodeScalars.first, scalar.value >= 0x20, scalar.value != 0x7f, picker.query.count < 64 else { break }
        picker.query.append(c)
        picker.selection = 0
    default: break
    }
    s.overlay = .tagPicker(picker)
}

/// The keys of the watch screen, for its help overlay and hint line.
public enum WatchKeymap {
    /// The bindings of the main screen (no overlay, not typing the filter).
    public static func bindings(_ state: WatchState, context: WatchContext) -> [KeyBinding] {
        var out: [KeyBinding] = [
            KeyBinding("up / down / j k", "move the run cursor", keys: [.up, .down, .char("k"), .char("j")]),
            KeyBinding("pgup / pgdn / g G", "page, first, last run",
                       keys: [.pageUp, .pageDown, .home, .end, .char("g"), .char("G")]),
            KeyBinding("space", "show / hide the run under the cursor", keys: [.char(" ")]),
            KeyBinding("a", "show all / hide all listed runs", keys: [.char("a")]),
            KeyBinding("o", "only the run under the cursor", keys: [.char("o")]),
        ]
        let panels = context.panelTags.count
        if panels > 0 {
            out.append(KeyBinding("tab / shift-tab", "focus next / previous chart", keys: [.tab, .backTab]))
            out.append(KeyBinding("1-\(panels)", "focus chart 1-\(panels)", keys: (1...panels).map { .char(Character(String($0))) }))
            if !context.allTags.isEmpty {
                out.append(KeyBinding("t / enter", "pick the tag of the focused chart", keys: [.char("t"), .enter]))
            }
            out.append(KeyBinding("l", "log / linear y axis of the focused chart", keys: [.char("l")]))
        }
        out.append(KeyBinding("/", "filter runs and tags (substring or glob)", keys: [.char("/")]))
        out.append(KeyBinding("esc", "clear the filter", keys: [.escape]))
        out.append(KeyBinding("s / S", "more / less smoothing (now \(DashboardFormat.weight(state.smoothing)))",
                              keys: [.char("s"), .char("S")]))
        out.append(KeyBinding("r", state.showRaw ? "hide raw points" : "show raw points", keys: [.char("r")]))
        if state.themeNames.count > 1 {
            let next = state.themeNames[(state.themeIndex + 1) % state.themeNames.count]
            out.append(KeyBinding("T", "next theme (\(next))", keys: [.char("T")]))
        }
        out.append(KeyBinding("?", "this help", keys: [.char("?")]))
        out.append(KeyBinding("q", "quit", keys: [.char("q")]))
        return out
    }

    /// Short hints for the status line, most useful first ("? help" last).
    public static func hints(_ state: WatchState) -> [String] {
        if state.editingFilter { return ["enter done", "esc clear"] }
        if case .tagPicker = state.overlay { return ["enter pick", "esc cancel"] }
        return ["space show/hide", "t tag", "/ filter", "q quit", "? help"]
    }
}
