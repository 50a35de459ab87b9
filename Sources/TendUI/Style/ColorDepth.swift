/// How many colours the terminal can show, from fewest to most.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    case none = 0, ansi8 = 8, ansi16 = 16, xterm256 = 256, trueColor = 16_777_216
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

extension ColorDepth {
    /// The depth to draw with, from (in order) `NO_COLOR` (any non-empty value), a `--colors` override (which
    /// can lower the depth but not raise it past the terminal's), the terminal's colour support and terminfo
    /// colour count (`COLORS`), raised to 24-bit by `COLORTERM=truecolor|24bit` on a terminal with colours
    /// (the convention xterm, tmux, kitty, iTerm2 and VTE terminals follow; frames are encoded by Tend, not by
    /// ncurses, so a `*-direct` terminfo entry is not needed).
    public static func detect(override: ColorDepth?, noColor: String?, colorTerm: String?, hasColors: Bool,
                              colors: Int) -> (depth: ColorDepth, notes: [String]) {
        if let noColor, !noColor.isEmpty { return (.none, ["NO_COLOR is set: no colours"]) }
        var fromTerminal: ColorDepth
        switch hasColors ? colors : 0 {
        case 0x1000000...: fromTerminal = .trueColor
        case 256...: fromTerminal = .xterm256
        case 16...: fromTerminal = .ansi16
        case 8...: fromTerminal = .ansi8
        default: fromTerminal = .none
        }
        var notes: [String] = []
        let ct = (colorTerm ?? "").lowercased()
        if (ct == "truecolor" || ct == "24bit") && fromTerminal > .none && fromTerminal < .trueColor {
            fromTerminal = .trueColor
            notes.append("COLORTERM=\(ct): 24-bit colour (TERM's terminfo has \(colors) colours)")
        }
        if let override {
            guard override > fromTerminal else { return (override, notes + ["colour depth set to \(override)"]) }
            return (fromTerminal, notes + ["colour depth \(override) requested but the terminal offers \(fromTerminal) (set COLORTERM=truecolor if it shows 24-bit colour)"])
        }
        if fromTerminal == .none { notes.append("terminal has no colours") }
        return (fromTerminal, notes)
    }
}
