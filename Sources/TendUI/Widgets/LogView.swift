/// Timestamped log lines, newest at the bottom. Long lines wrap (continuations indented under the text) or
/// are cut with `…`/`~`. `scrollBack` hides that many screen rows from the bottom to look at older lines.
public struct LogView: Widget {
    public enum Level: Hashable, Sendable { case debug, info, warning, error }
    public struct Line: Hashable, Sendable {
        /// Preformatted time, e.g. `12:03:04` or `+41.2s`.
        public var time: String
        public var level: Level
        public var text: String
        public init(time: String, level: Level = .info, text: String) { self.time = time; self.level = level; self.text = text }
    }

    public var lines: [Line]
    public var wrap: Bool
    public var scrollBack: Int

    public init(lines: [Line], wrap: Bool = true, scrollBack: Int = 0) {
        self.lines = lines; self.wrap = wrap; self.scrollBack = scrollBack
    }

    static func tone(_ level: Level) -> Tone {
        switch level {
        case .debug: return .dim
        case .info: return .normal
        case .warning: return .warning
        case .error: return .critical
        }
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty else { return }
        // Build screen rows from the newest line backwards until the rect (plus scroll-back) is full.
        var rows: [(time: String, text: String, level: Level)] = []
        let needed = rect.height + max(0, scrollBack)
        for line in lines.reversed() {
            let prefix = line.time.isEmpty ? 0 : line.time.count + 1
            let textWidth = rect.width - prefix
            var pieces: [String]
            if textWidth < 1 { pieces = [""] }
            else if wrap { pieces = TextFit.wrap(line.text, width: textWidth) }
            else { pieces = [TextFit.truncate(line.text, to: textWidth, ellipsis: glyphs.ellipsis)] }
            for (k, piece) in pieces.enumerated().reversed() {
                rows.append((k == 0 ? line.time : String(repeating: " ", count: line.time.count), piece, line.level))
            }
            if rows.count >= needed { break }
        }
        let shown = rows.dropFirst(max(0, min(scrollBack, max(0, rows.count - rect.height)))).prefix(rect.height)
        var y = rect.y + rect.height - 1
        for row in shown {
            var x = rect.x
            if !row.time.isEmpty { x = buffer.put(row.time + " ", x: x, y: y, style: theme.dimText, clip: clip) }
            buffer.put(row.text, x: x, y: y, style: theme.style(Self.tone(row.level)), clip: clip)
            y -= 1
        }
    }
}
