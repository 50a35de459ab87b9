/// How many colours the terminal can show, from fewest to most.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    case none = 0, ansi8 = 8, ansi16 = 16, xterm256 = 256, trueColor = 16_777_216
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }
}

extension ColorDepth {
    /// The depth to draw with, from (in order) `NO_COLOR` (any non-empty value), a `--colors` override (which
    /// can lower the depth but not raise it past the terminal's), the terminal's colour support and terminfo
    /// colour count (`COLORS`). `COLORTERM=truecolor|24bit` cannot raise
    /// the depth because ncurses only sends 24-bit colour through a `*-direct` terminfo entry; it adds a note.
    public static func detect(override: ColorDepth?, noColor: String?, colorTerm: String?, hasColors: Bool,
                              colors: Int) -> (depth: ColorDepth, notes: [String]) {
        if let noColor, !noColor.isEmpty { return (.none, ["NO_COLOR is set: no colours"]) }
        let fromTerminfo: ColorDepth
        switch hasColors ? colors : 0 {
        case 0x1000000...: fromTerminfo = .trueColor
        case 256...: fromTerminfo = .xterm256
        case 16...: fromTerminfo = .ansi16
        case 8...: fromTerminfo = .ansi8
        default: fromTerminfo = .none
        }
        if let override {
            guard override > fromTerminfo else { return (override, ["colour depth set to \(override)"]) }
            return (fromTerminfo, ["colour depth \(override) requested but the terminal (TERM's terminfo) offers \(fromTerminfo)"])
        }
        var notes: [String] = []
        if fromTerminfo == .none { notes.append("terminal has no colours") }
        let ct = (colorTerm ?? "").lowercased()
        if (ct == "truecolor" || ct == "24bit") && fromTerminfo < .trueColor {
            notes.append("COLORTERM=\(ct) but TERM's terminfo has \(colors) colours; set TERM to a *-direct entry (e.g. xterm-direct) for 24-bit colour")
        }
        return (fromTerminfo, notes)
    }
}
