#if canImport(Glibc)
import Glibc
#endif
import TendUI

/// What the terminal can show, decided once at startup: UTF-8 or not, and the colour depth.
public struct TerminalCapabilities: Hashable, Sendable {
    public var utf8: Bool
    public var colorDepth: ColorDepth
    /// Human-readable remarks about the decision (e.g. why truecolor was not used).
    public var notes: [String]

    /// The colour depth from, in order: the `--colors` flag, `NO_COLOR`, the terminfo colour count (`COLORS`),
    /// and `COLORTERM`. ncurses can only send 24-bit colours through a `*-direct` terminfo entry, so
    /// `COLORTERM=truecolor` with a 256-colour TERM stays at 256 colours (with a note).
    public static func colorDepth(override: ColorDepth?, noColor: String?, colorTerm: String?, hasColors: Bool,
                                  colors: Int) -> (ColorDepth, [String]) {
        if let override { return (override, ["colour depth forced to \(override)"]) }
        if let noColor, !noColor.isEmpty { return (.none, ["NO_COLOR is set: no colours"]) }
        guard hasColors else { return (.none, ["terminal has no colours"]) }
        let fromTerminfo: ColorDepth
        switch colors {
        case 0x1000000...: fromTerminfo = .trueColor
        case 256...: fromTerminfo = .xterm256
        case 16...: fromTerminfo = .ansi16
        case 8...: fromTerminfo = .ansi8
        default: fromTerminfo = .none
        }
        var notes: [String] = []
        let ct = (colorTerm ?? "").lowercased()
        if (ct == "truecolor" || ct == "24bit") && fromTerminfo < .trueColor {
            notes.append("COLORTERM=\(ct) but TERM's terminfo has \(colors) colours; set TERM to a *-direct entry (e.g. xterm-direct) for 24-bit colour")
        }
        return (fromTerminfo, notes)
    }
}
