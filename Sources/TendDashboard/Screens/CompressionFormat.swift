import TendUI

/// Number formats shared by the compression screens.
enum CompressionFormat {
    /// `+0.0123` / `-0.0123`: a signed difference with four decimals.
    static func signed(_ v: Double, decimals: Int = 4) -> String {
        guard v.isFinite else { return NumberFormat.compact(v) }
        return (v >= 0 ? "+" : "-") + NumberFormat.fixed(abs(v), decimals: decimals)
    }
    static func fixed(_ v: Double, _ decimals: Int) -> String { NumberFormat.fixed(v, decimals: decimals) }
    static func bytes(_ b: Int) -> String { DashboardFormat.bytes(Double(b)) }
    static func signedBytes(_ b: Int) -> String { (b >= 0 ? "+" : "-") + DashboardFormat.bytes(Double(abs(b))) }
    /// dB with one decimal; "∞" (or "inf") for a lossless tensor.
    static func decibels(_ v: Double, ascii: Bool) -> String {
        v.isInfinite ? (ascii ? "inf" : "∞") : NumberFormat.fixed(v, decimals: 1)
    }
    /// Scientific-ish compact value for errors (MSE, max error).
    static func error(_ v: Double) -> String {
        guard v.isFinite else { return NumberFormat.compact(v) }
        if v == 0 { return "0" }
        if v >= 0.001 { return NumberFormat.fixed(v, decimals: 4) }
        var e = 0, m = v
        while m < 1 { m *= 10; e -= 1 }
        return NumberFormat.fixed(m, decimals: 1) + "e" + String(e)
    }
}

/// Draws lines of text top-down in `rect`, each truncated to its width; returns the rows used.
@discardableResult
func putLines(_ lines: [(String, Style)], into buffer: inout CellBuffer, rect: Rect, glyphs: Glyphs) -> Int {
    for (i, (text, style)) in lines.enumerated() where i < rect.height {
        _ = buffer.put(TextFit.truncate(text, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y + i,
                       style: style, clip: rect)
    }
    return min(lines.count, rect.height)
}
