/// One terminal cell: a grapheme that occupies exactly one column, and its style.
public struct Cell: Hashable, Sendable {
    public var grapheme: Character
    public var style: Style

    public init(_ grapheme: Character = " ", style: Style = .plain) {
        self.grapheme = grapheme; self.style = style
    }

    /// A space in the terminal's default colours.
    public static let blank = Cell()
}
