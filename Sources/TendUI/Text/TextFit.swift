/// Fitting text into a number of columns (every Character counts as one column).
public enum TextFit {
    /// `text` cut to `width` columns, ending in `ellipsis` when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: Character) -> String {
        guard width > 0 else { return "" }
        if text.count <= width { return text }
        if width == 1 { return String(ellipsis) }
        return String(text.prefix(width - 1)) + String(ellipsis)
    }

    /// `text` padded with spaces (or truncated) to exactly `width` columns, aligned right if `right`.
    public static func pad(_ text: String, to width: Int, right: Bool, ellipsis: Character) -> String {
        let t = truncate(text, to: width, ellipsis: ellipsis)
        let gap = String(repeating: " ", count: max(0, width - t.count))
        return right ? gap + t : t + gap
    }

    /// Splits `text` into lines of at most `width` columns, breaking at spaces when possible.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var rest = Substring(text)
        while rest.count > width {
            let head = rest.prefix(width + 1)
            if let space = head.lastIndex(of: " "), space > rest.startIndex {
                lines.append(String(rest[..<space]))
                rest = rest[rest.index(after: space)...]
            } else {
                lines.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
        }
        lines.append(String(rest))
        return lines
    }
}
