/// A horizontal stretch of cells on one row that share a style: what a terminal backend writes with one call.
public struct CellRun: Hashable, Sendable {
    /// Row and first column of the run, in cells.
    public var y: Int, x: Int
    /// Number of cells (≥ 1).
    public var count: Int
    /// The style every cell of the run has.
    public var style: Style

    public init(y: Int, x: Int, count: Int, style: Style) {
        self.y = y; self.x = x; self.count = count; self.style = style
    }
}

extension CellBuffer {
    /// Calls `body` for every run of same-styled cells that must be written to bring a screen showing `old`
    /// up to `self`, row by row, left to right. Every cell that differs from `old` is in exactly one run, and
    /// every run starts and ends on a changed cell; a run bridges unchanged cells of the same style when
    /// at most `maxGap` of them separate two changed cells (one call instead of two). With `old` nil or of
    /// another size, every cell is changed. Allocates nothing.
    @inlinable
    public func forEachChangedRun(since old: CellBuffer?, maxGap: Int = 8, _ body: (CellRun) throws -> Void) rethrows {
        let w = width, h = height
        guard w > 0, h > 0 else { return }
        let comparable = old.map { $0.width == w && $0.height == h } ?? false
        try cells.withUnsafeBufferPointer { new in
            if comparable, let old {
                try old.cells.withUnsafeBufferPointer { prev in
                    for y in 0..<h {
                        let row = y * w
                        var x = 0
                        while x < w {
                            if new[row + x] == prev[row + x] { x += 1; continue }
                            // A run starts at the changed cell x.
                            let style = new[row + x].style
                            var lastChanged = x
                            var k = x + 1
                            while k < w, k - lastChanged - 1 <= maxGap, new[row + k].style == style {
                                if new[row + k] != prev[row + k] { lastChanged = k }
                                k += 1
                            }
                            try body(CellRun(y: y, x: x, count: lastChanged - x + 1, style: style))
                            x = lastChanged + 1
                        }
                    }
                }
            } else {
                for y in 0..<h {
                    let row = y * w
                    var x = 0
                    while x < w {
                        let style = new[row + x].style
                        var k = x + 1
                        while k < w, new[row + k].style == style { k += 1 }
                        try body(CellRun(y: y, x: x, count: k - x, style: style))
                        x = k
                    }
                }
            }
        }
    }

    /// Copies every cell of `other` (same size) into this buffer in place: no allocation when this buffer's
    /// storage is not shared. Buffers of another size are replaced by a copy of `other`.
    public mutating func copyCells(from other: CellBuffer) {
        guard other.width == width, other.height == height else { self = other; return }
        cells.withUnsafeMutableBufferPointer { dst in
            other.cells.withUnsafeBufferPointer { src in
                guard let d = dst.baseAddress, let s = src.baseAddress else { return }
                d.update(from: s, count: src.count)
            }
        }
    }
}
