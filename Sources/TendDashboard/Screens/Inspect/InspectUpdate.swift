import TendUI

/// What a key on the `tend inspect` screen asks the executable to do.
public enum InspectAction: Sendable, Equatable {
    case quit
    /// Write the candidate file (the executable builds the request from the view model's `writeRequest`).
    case write
}

/// Keys of the `tend inspect` screen: the help overlay and the status hints are built from `bindings`, and
/// `updateInspect` honours exactly these (a test holds the two together).
public enum InspectKeymap {
    public static func bindings(_ s: InspectState) -> [KeyBinding] {
        if s.editingFilter {
            return [KeyBinding("text", "filter tensor names", keys: []),
                    KeyBinding("enter", "keep the filter", keys: [.enter]),
                    KeyBinding("esc", "clear the filter", keys: [.escape]),
                    KeyBinding("backspace", "delete a character", keys: [.backspace])]
        }
        let unit = s.mode == .threshold ? "the threshold" : "the target sparsity"
        let clear = s.filter.isEmpty ? [] : [KeyBinding("esc", "clear the filter \"\(s.filter)\"", keys: [.escape])]
        return clear + [
            KeyBinding("up down / j k", "select a tensor", keys: [.up, .down, .char("j"), .char("k")]),
            KeyBinding("pgup pgdn home end", "page through the tensors", keys: [.pageUp, .pageDown, .home, .end]),
            KeyBinding("left right / h l", "move \(unit) a small step", keys: [.left, .right, .char("h"), .char("l")]),
            KeyBinding("H / L", "move \(unit) a big step", keys: [.char("H"), .char("L")]),
            KeyBinding("m", s.mode == .threshold ? "prune to a target sparsity" : "prune below a magnitude threshold", keys: [.char("m")]),
            KeyBinding("p", s.prune ? "leave pruning out of the candidate" : "prune in the candidate", keys: [.char("p")]),
            KeyBinding("i", s.quantize ? "leave int8 out of the candidate" : "quantize to int8 per channel", keys: [.char("i")]),
            KeyBinding("4", s.showInt4 ? "show int8 per-channel figures" : "show int4 per-group figures", keys: [.char("4")]),
            KeyBinding("w", "write the candidate file next to the input", keys: [.char("w")]),
            KeyBinding("/", "filter tensors by name", keys: [.char("/")]),
            KeyBinding("s", "sort: " + InspectState.SortKey.allCases.map(\.rawValue).joined(separator: ", "), keys: [.char("s")]),
            KeyBinding("?", "this help", keys: [.char("?")]),
            KeyBinding("q", "quit", keys: [.char("q")]),
        ]
    }

    public static func hints(_ s: InspectState) -> [String] {
        if s.editingFilter { return ["type to filter", "enter keep", "esc clear"] }
        return ["h/l cut", "m mode", "p prune", "i int8", "w write", "/ filter", "s sort", "? help", "q quit"]
    }
}

/// The `tend inspect` screen's update: pure. `rowCount` is the number of rows the view model shows (after the
/// filter), `pageRows` how many fit on a page.
public func updateInspect(_ state: InspectState, _ key: Key, rowCount: Int, pageRows: Int = 10) -> (InspectState, [InspectAction]) {
    var s = state
    if s.overlay == .help {
        if key == .char("q") { return (s, [.quit]) }
        if key != .resize { s.overlay = .none }
        return (s, [])
    }
    if s.editingFilter {
        switch key {
        case .enter: s.editingFilter = false
        case .escape: s.editingFilter = false; s.filter = ""
        case .backspace, .delete: if !s.filter.isEmpty { s.filter.removeLast() }
        case .char(let c): s.filter.append(c)
        default: break
        }
        s.selected = 0; s.scroll = 0
        return (s, [])
    }
    let last = max(0, rowCount - 1)
    switch key {
    case .up, .char("k"): s.selected = max(0, s.selected - 1)
    case .down, .char("j"): s.selected = min(last, s.selected + 1)
    case .pageUp: s.selected = max(0, s.selected - max(1, pageRows))
    case .pageDown: s.selected = min(last, s.selected + max(1, pageRows))
    case .home: s.selected = 0
    case .end: s.selected = last
    case .left, .char("h"): s.move(-1, big: false)
    case .right, .char("l"): s.move(1, big: false)
    case .char("H"): s.move(-1, big: true)
    case .char("L"): s.move(1, big: true)
    case .char("m"): s.mode = s.mode == .threshold ? .sparsity : .threshold
    case .char("p"): s.prune.toggle()
    case .char("i"): s.quantize.toggle()
    case .char("4"): s.showInt4.toggle()
    case .char("w"): return (s, [.write])
    case .char("/"): s.editingFilter = true
    case .char("s"):
        let all = InspectState.SortKey.allCases
        s.sort = all[(all.firstIndex(of: s.sort)! + 1) % all.count]
        s.selected = 0
    case .char("?"): s.overlay = .help
    case .char("q"): return (s, [.quit])
    case .escape: if !s.filter.isEmpty { s.filter = ""; s.selected = 0 }
    default: break
    }
    s.selected = min(s.selected, last)
    return (s, [])
}
