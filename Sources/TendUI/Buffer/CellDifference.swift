/// One cell that differs between two buffers of the same size.
public struct CellDifference: Hashable, Sendable, CustomStringConvertible {
    public let x: Int, y: Int
    public let old: Cell, new: Cell
    public var description: String {
        old.grapheme == new.grapheme
            ? "(\(x),\(y)) '\(new.grapheme)' style \(old.style) → \(new.style)"
            : "(\(x),\(y)) '\(old.grapheme)' → '\(new.grapheme)'"
    }
}

extension CellBuffer {
    /// The cells where `self` differs from `other`, row-major. Cells outside the smaller buffer count as blank.
    /// With `includeStyle` false only graphemes are compared (what picture tests check).
    public func differences(from other: CellBuffer, includeStyle: Bool = true) -> [CellDifference] {
        var out: [CellDifference] = []
        for y in 0..<max(height, other.height) {
            for x in 0..<max(width, other.width) {
                let a = other[x: x, y: y], b = self[x: x, y: y]
                if includeStyle ? a != b : a.grapheme != b.grapheme {
                    out.append(CellDifference(x: x, y: y, old: a, new: b))
                }
            }
        }
        return out
    }
}
