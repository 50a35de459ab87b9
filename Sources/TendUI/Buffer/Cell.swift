/// One terminal cell: a grapheme that occupies exactly one column, and its style.
/// Stored as up to two Unicode scalars (a base and one combining mark) so cells are plain values that copy
/// and compare without reference counting; longer grapheme clusters keep their first two scalars.
public struct Cell: Hashable, Sendable {
    /// The base scalar; control characters are replaced by `?` when written through `CellBuffer.put`.
    public var scalar: Unicode.Scalar
    /// A combining mark drawn on the base, or nil.
    public var mark: Unicode.Scalar?
    public var style: Style

    public init(_ grapheme: Character = " ", style: Style = .plain) {
        // One scalar iterator: `Character.asciiValue` is about 3× slower (it compares against "\r\n" first).
        var it = grapheme.unicodeScalars.makeIterator()
        scalar = it.next() ?? " "
        mark = it.next()
        self.style = style
    }

    /// A cell holding a single scalar (the fast path for generated glyphs such as braille).
    @inlinable public init(scalar: Unicode.Scalar, style: Style = .plain) {
        self.scalar = scalar; self.mark = nil; self.style = style
    }

    /// The grapheme shown in the cell.
    public var grapheme: Character {
        get {
            guard let mark else { return Character(scalar) }
            var s = String.UnicodeScalarView(); s.append(scalar); s.append(mark)
            return Character(String(s))
        }
        set { self = Cell(newValue, style: style) }
    }

    /// A space in the terminal's default colours.
    public static let blank = Cell()
}
