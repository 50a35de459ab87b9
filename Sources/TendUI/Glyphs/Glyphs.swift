/// The characters widgets draw with, chosen once at startup: `.unicode` (braille, box drawing, eighth blocks)
/// or `.ascii` when the locale is not UTF-8 or `--ascii` is given.
public struct Glyphs: Hashable, Sendable {
    public var horizontal: Character, vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    /// Title brackets on a border, e.g. `┤ Loss ├`.
    public var titleLeft: Character, titleRight: Character
    /// Axis pieces: y-axis tick `┤`, x-axis tick `┴`, corner `└`.
    public var yTick: Character, xTick: Character, axisCorner: Character
    /// Vertical marker line in charts (downsampling boundary, cut line).
    public var marker: Character
    /// Sparkline levels, lowest first.
    public var sparkLevels: [Character]
    /// Vertical bar fill from 1/8 to 8/8 of a cell (ASCII: a single full level).
    public var verticalEighths: [Character]
    /// Horizontal bar fill from 1/8 to 8/8 of a cell (ASCII: a single full level).
    public var horizontalEighths: [Character]
    /// Unfilled part of a gauge.
    public var gaugeEmpty: Character
    /// Shown where text was cut short.
    public var ellipsis: Character
    /// True when charts draw 2×4 braille dots per cell; otherwise one point per cell.
    public var braille: Bool
    /// ASCII chart marks: `point` for a series, `faintPoint` for a dimmed (raw) series.
    public var point: Character, faintPoint: Character

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        titleLeft: "┤", titleRight: "├", yTick: "┤", xTick: "┴", axisCorner: "└", marker: "┊",
        sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        verticalEighths: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        horizontalEighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"],
        gaugeEmpty: "░", ellipsis: "…", braille: true, point: "•", faintPoint: "·")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        titleLeft: "[", titleRight: "]", yTick: "+", xTick: "+", axisCorner: "+", marker: ":",
        sparkLevels: [".", "-", "=", "#"],
        verticalEighths: ["#"], horizontalEighths: ["#"],
        gaugeEmpty: "-", ellipsis: "~", braille: false, point: "*", faintPoint: ".")

    /// Picks Unicode unless `ascii` is forced or the locale's codeset is not UTF-8.
    public static func forLocale(codeset: String, forceASCII: Bool) -> Glyphs {
        let cs = codeset.lowercased()
        return !forceASCII && (cs == "utf-8" || cs == "utf8") ? .unicode : .ascii
    }
}
