import TendUI

extension Glyphs {
    /// True for an ASCII glyph set: text then avoids `µ`, `×`, `–` too (the terminal may not show them).
    var textIsASCII: Bool { ellipsis.isASCII && horizontal.isASCII }
}
