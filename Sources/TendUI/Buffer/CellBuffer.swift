/// A width × height grid of cells, row-major, origin top-left. Widgets draw into it; the terminal backend
/// copies it to the screen. Every write outside the grid (or outside the given clip rect) is dropped.
public struct CellBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Cells row by row; `cells[y * width + x]`.
    public internal(set) var cells: [Cell]

    /// A buffer filled with `fill`. Negative sizes are treated as zero.
    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width); self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    /// A picture for tests: one string per row, every Character one cell, short rows padded with spaces.
    public init(lines: [String], style: Style = .plain) {
        let w = lines.map(\.count).max() ?? 0
        self.init(width: w, height: lines.count, fill: Cell(" ", style: style))
        for (y, line) in lines.enumerated() {
            for (x, ch) in line.enumerated() { cells[y * w + x] = Cell(ch, style: style) }
        }
    }

    /// The whole buffer as a rect at the origin.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y); a blank cell outside the grid. Setting outside the grid does nothing.
    public subscript(x x: Int, y y: Int) -> Cell {
        get { inside(x, y) ? cells[y * width + x] : .blank }
        set { if inside(x, y) { cells[y * width + x] = newValue } }
    }

    @inline(__always) func inside(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `string` from (x, y) rightwards, one Character per cell, clipped to `clip` (default: the buffer)
    /// and the buffer. Control characters are drawn as `?`. Returns the x just after the last character,
    /// counting clipped ones, so callers can continue a line.
    @discardableResult
    public mutating func put(_ string: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let c = clip.map { $0.intersection(bounds) } ?? bounds
        var cx = x
        guard y >= c.y, y < c.maxY else { return x + string.count }
        // ASCII text (most of a frame) is one cell per byte: no grapheme breaking. "\r\n" is one grapheme,
        // so text holding a carriage return takes the general path.
        if let cx = string.utf8.withContiguousStorageIfAvailable({ bytes -> Int? in
            var cx = x
            for b in bytes where b >= 0x80 || b == 0x0d { return nil }
            let row = y * width
            for b in bytes {
                if cx >= c.maxX { return x + bytes.count }
                if cx >= c.x {
                    let s = (b < 0x20 || b == 0x7f) ? Unicode.Scalar(UInt8(ascii: "?")) : Unicode.Scalar(b)
                    cells[row + cx] = Cell(scalar: s, style: style)
                }
                cx += 1
            }
            return cx
        }) ?? nil {
            return cx
        }
        for ch in string {
            if cx >= c.maxX { cx += 1; continue }
            if cx >= c.x { cells[y * width + cx] = Self.printable(Cell(ch, style: style)) }
            cx += 1
        }
        return cx
    }

    /// Writes one Character at (x, y) if it lies inside `clip` and the buffer.
    public mutating func put(_ ch: Character, x: Int, y: Int, style: Style, clip: Rect? = nil) {
        if let clip, !clip.contains(x: x, y: y) { return }
        if inside(x, y) { cells[y * width + x] = Self.printable(Cell(ch, style: style)) }
    }

    /// Writes one scalar at (x, y) if it lies inside `clip` and the buffer (the fast path for generated glyphs).
    public mutating func put(scalar: Unicode.Scalar, x: Int, y: Int, style: Style, clip: Rect) {
        guard clip.contains(x: x, y: y), x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = Cell(scalar: Self.isControl(scalar) ? "?" : scalar, style: style)
    }

    /// Sets every cell of `rect` (clipped to the buffer) to `cell`.
    public mutating func fill(rect: Rect, cell: Cell) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        let w = width
        cells.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            for y in r.y..<r.maxY { (base + y * w + r.x).update(repeating: cell, count: r.width) }
        }
    }

    /// Changes the style of every cell of `rect` (clipped) through `transform`, keeping the graphemes.
    public mutating func restyle(rect: Rect, _ transform: (Style) -> Style) {
        let r = rect.intersection(bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { cells[y * width + x].style = transform(cells[y * width + x].style) }
        }
    }

    /// The graphemes row by row, for snapshots and test pictures.
    public var lines: [String] {
        (0..<height).map { y in String(cells[(y * width)..<(y * width + width)].map(\.grapheme)) }
    }

    @usableFromInline static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || s.value == 0x7f || (s.value >= 0x80 && s.value < 0xa0)
    }

    static func printable(_ cell: Cell) -> Cell {
        isControl(cell.scalar) ? Cell(scalar: "?", style: cell.style) : cell
    }
}
