/// A grid of dots over `width` × `height` cells: 2×4 braille dots per cell with Unicode glyphs, one point per
/// cell with ASCII. Dot (0, 0) is the top-left; the last style drawn into a cell colours it.
public struct BrailleCanvas: Sendable {
    public let width: Int, height: Int
    /// Dots per cell horizontally and vertically (2 and 4, or 1 and 1).
    public let dotsPerCellX: Int, dotsPerCellY: Int
    /// Per cell: braille bit mask (Unicode) or 1 when marked (ASCII), the last style, and whether the last
    /// writer was a dimmed series.
    private struct Dots { var bits: UInt8 = 0; var faint = false; var style = Style.plain }
    private var cells: [Dots]
    private let braille: Bool
    private let shiftX: Int, shiftY: Int

    public init(width: Int, height: Int, braille: Bool) {
        self.width = max(0, width); self.height = max(0, height); self.braille = braille
        dotsPerCellX = braille ? 2 : 1; dotsPerCellY = braille ? 4 : 1
        shiftX = braille ? 1 : 0; shiftY = braille ? 2 : 0
        cells = Array(repeating: Dots(), count: self.width * self.height)
    }

    /// Width and height in dots.
    public var dotWidth: Int { width * dotsPerCellX }
    public var dotHeight: Int { height * dotsPerCellY }

    /// Braille bit of the dot at column `dx` (0–1), row `dy` (0–3) inside a cell:
    /// left column 0x01 0x02 0x04 0x40, right column 0x08 0x10 0x20 0x80, top to bottom.
    @inline(__always) static func dotBit(_ dx: Int, _ dy: Int) -> UInt8 {
        dy == 3 ? UInt8(0x40 << dx) : UInt8((1 << dy) << (3 * dx))
    }

    /// Sets one dot; dots outside the canvas are ignored. `faint` marks the cell as drawn by a dimmed series
    /// (used for the ASCII mark) unless a normal series also drew there.
    public mutating func set(x: Int, y: Int, style: Style, faint isFaint: Bool = false) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        let i = (y >> shiftY) * width + (x >> shiftX)
        cells.withUnsafeMutableBufferPointer { c in
            c[i].bits |= braille ? Self.dotBit(x & 1, y & 3) : 1
            c[i].style = style
            c[i].faint = isFaint
        }
    }

    /// Draws a straight line of dots between two dot positions (Bresenham), clipped to the canvas.
    public mutating func line(from a: (x: Int, y: Int), to b: (x: Int, y: Int), style: Style, faint isFaint: Bool = false) {
        var x0 = a.x, y0 = a.y
        let dx = abs(b.x - x0), dy = -abs(b.y - y0)
        let sx = x0 < b.x ? 1 : -1, sy = y0 < b.y ? 1 : -1
        var err = dx + dy
        // Bound the walk so absurd coordinates cannot loop for long.
        var steps = 0, limit = dx - dy + 1
        if limit > 4 * (dotWidth + dotHeight) + 8 { limit = 4 * (dotWidth + dotHeight) + 8 }
        while steps <= limit {
            set(x: x0, y: y0, style: style, faint: isFaint)
            if x0 == b.x && y0 == b.y { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x0 += sx }
            if e2 <= dx { err += dx; y0 += sy }
            steps += 1
        }
    }

    /// True when any dot of cell (cx, cy) is set.
    public func isMarked(cellX cx: Int, cellY cy: Int) -> Bool {
        cx >= 0 && cy >= 0 && cx < width && cy < height && cells[cy * width + cx].bits != 0
    }

    /// Copies the marked cells into `buffer` at `origin`; unmarked cells are left alone. Clipped to `clip`.
    public func render(into buffer: inout CellBuffer, x originX: Int, y originY: Int, background: Color,
                       faintPoint: Character, point: Character, clip: Rect) {
        for cy in 0..<height {
            for cx in 0..<width {
                let dots = cells[cy * width + cx]
                let b = dots.bits
                guard b != 0 else { continue }
                let style = dots.style.with(background: background)
                if braille {
                    buffer.put(scalar: Unicode.Scalar(0x2800 + UInt32(b))!, x: originX + cx, y: originY + cy, style: style, clip: clip)
                } else {
                    buffer.put(dots.faint ? faintPoint : point, x: originX + cx, y: originY + cy, style: style, clip: clip)
                }
            }
        }
    }
}
