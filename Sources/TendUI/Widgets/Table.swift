/// Rows under a header. Columns shrink (widest first) to fit, cutting text with `…`/`~`; numeric columns
/// align right; the selected row is highlighted; `scrollOffset` is the first row shown.
public struct Table: Widget {
    public enum Alignment: Hashable, Sendable { case left, right, auto }
    public struct Column: Hashable, Sendable {
        public var title: String
        public var alignment: Alignment
        /// Upper bound on the natural width (nil: as wide as the widest cell).
        public var maxWidth: Int?
        public init(_ title: String, alignment: Alignment = .auto, maxWidth: Int? = nil) {
            self.title = title; self.alignment = alignment; self.maxWidth = maxWidth
        }
    }

    public var columns: [Column]
    public var rows: [[String]]
    public var selectedRow: Int?
    public var scrollOffset: Int
    public var showHeader: Bool

    public init(columns: [Column], rows: [[String]], selectedRow: Int? = nil, scrollOffset: Int = 0, showHeader: Bool = true) {
        self.columns = columns; self.rows = rows; self.selectedRow = selectedRow; self.scrollOffset = scrollOffset
        self.showHeader = showHeader
    }

    /// The scroll offset that keeps `selected` visible when `visibleRows` rows fit, moving `current` as little
    /// as possible.
    public static func scrollOffset(keeping selected: Int, current: Int, visibleRows: Int, rowCount: Int) -> Int {
        guard visibleRows > 0 else { return 0 }
        var offset = current
        if selected < offset { offset = selected }
        if selected >= offset + visibleRows { offset = selected - visibleRows + 1 }
        return max(0, min(offset, max(0, rowCount - visibleRows)))
    }

    /// Column widths fitting `total` columns including one-space gaps.
    public func columnWidths(total: Int) -> [Int] {
        var widths = columns.enumerated().map { i, col in
            let natural = rows.reduce(col.title.count) { max($0, i < $1.count ? $1[i].count : 0) }
            return min(natural, col.maxWidth ?? Int.max)
        }
        let gaps = max(0, columns.count - 1)
        while widths.reduce(0, +) + gaps > total, let widest = widths.indices.max(by: { widths[$0] < widths[$1] }),
              widths[widest] > 1 {
            widths[widest] -= 1
        }
        return widths
    }

    public func render(into buffer: inout CellBuffer, rect: Rect, theme: Theme, glyphs: Glyphs) {
        let clip = rect.intersection(buffer.bounds)
        guard !clip.isEmpty, !columns.isEmpty else { return }
        let widths = columnWidths(total: rect.width)
        let rightAligned = columns.indices.map { i in
            switch columns[i].alignment {
            case .left: return false
            case .right: return true
            case .auto:
                let cells = rows.compactMap { i < $0.count && !$0[i].isEmpty ? $0[i] : nil }
                return !cells.isEmpty && cells.allSatisfy(Self.looksNumeric)
            }
        }
        var y = rect.y
        if showHeader {
            drawRow(columns.map(\.title), y: y, widths: widths, right: rightAligned, style: theme.titleText,
                    into: &buffer, rect: rect, clip: clip, glyphs: glyphs)
            y += 1
        }
        let visible = rect.maxY - y
        guard visible > 0 else { return }
        let first = max(0, min(scrollOffset, rows.count))
        for r in first..<min(rows.count, first + visible) {
            let selected = r == selectedRow
            let style = selected ? theme.selected : theme.text
            if selected { buffer.fill(rect: Rect(x: rect.x, y: y, width: rect.width, height: 1).intersection(clip), cell: Cell(" ", style: style)) }
            drawRow(rows[r], y: y, widths: widths, right: rightAligned, style: style, into: &buffer, rect: rect,
                    clip: clip, glyphs: glyphs)
            y += 1
        }
    }

    func drawRow(_ cells: [String], y: Int, widths: [Int], right: [Bool], style: Style, into buffer: inout CellBuffer,
                 rect: Rect, clip: Rect, glyphs: Glyphs) {
        var x = rect.x
        for (i, w) in widths.enumerated() {
            let text = i < cells.count ? cells[i] : ""
            buffer.put(TextFit.pad(text, to: w, right: right[i], ellipsis: glyphs.ellipsis), x: x, y: y, style: style, clip: clip)
            x += w + 1
        }
    }

    /// True for `12`, `-0.5`, `3.2e-4`, `97.1%`, `12 ms`, `1,024`, `4.5k`.
    static func looksNumeric(_ s: String) -> Bool {
        var chars = Substring(s)
        if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
        let number = chars.prefix { $0.isNumber || $0 == "." || $0 == "," || $0 == "e" || $0 == "E" || $0 == "-" }
        guard number.first?.isNumber == true || (number.first == "." && number.dropFirst().first?.isNumber == true) else { return false }
        var unit = chars.dropFirst(number.count)
        if unit.first == " " { unit = unit.dropFirst() }
        return unit.count <= 3 && unit.allSatisfy { $0.isLetter || $0 == "%" }
    }
}
