/// How much of a split a part takes.
public enum LayoutSize: Hashable, Sendable {
    /// Exactly this many cells (less if the rect is too small).
    case fixed(Int)
    /// This fraction (0…1) of the whole length.
    case fraction(Double)
    /// An equal share of whatever the fixed and fractional parts leave.
    case fill
}

/// Splitting rects into rows, columns and grids. Parts never overlap and never leave the parent; the last
/// part absorbs rounding.
public enum Layout {
    /// Splits `rect` top to bottom.
    public static func rows(_ rect: Rect, _ sizes: [LayoutSize]) -> [Rect] {
        lengths(rect.height, sizes).reduce(into: (rects: [Rect](), offset: rect.y)) { acc, len in
            acc.rects.append(Rect(x: rect.x, y: acc.offset, width: rect.width, height: len)); acc.offset += len
        }.rects
    }

    /// Splits `rect` left to right.
    public static func columns(_ rect: Rect, _ sizes: [LayoutSize]) -> [Rect] {
        lengths(rect.width, sizes).reduce(into: (rects: [Rect](), offset: rect.x)) { acc, len in
            acc.rects.append(Rect(x: acc.offset, y: rect.y, width: len, height: rect.height)); acc.offset += len
        }.rects
    }

    /// `columns` × `rows` equal cells, row-major (e.g. 3 × 2 for the six dashboard panels).
    public static func grid(_ rect: Rect, columns: Int, rows: Int) -> [Rect] {
        let rowRects = Self.rows(rect, Array(repeating: .fill, count: max(1, rows)))
        return rowRects.flatMap { Self.columns($0, Array(repeating: .fill, count: max(1, columns))) }
    }

    /// The length of each part of `total` cells.
    static func lengths(_ total: Int, _ sizes: [LayoutSize]) -> [Int] {
        var out = Array(repeating: 0, count: sizes.count)
        var remaining = max(0, total)
        for (i, s) in sizes.enumerated() {
            switch s {
            case .fixed(let n): out[i] = min(max(0, n), remaining)
            case .fraction(let f): out[i] = min(Int((Double(total) * max(0, min(1, f))).rounded(.down)), remaining)
            case .fill: continue
            }
            remaining -= out[i]
        }
        let fills = sizes.indices.filter { sizes[$0] == .fill }
        for (k, i) in fills.enumerated() {
            out[i] = remaining / fills.count + (k < remaining % fills.count ? 1 : 0)
        }
        return out
    }
}
