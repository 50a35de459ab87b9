/// A terminal colour as a theme or widget asks for it. The backend reduces it to what the terminal can show
/// (see `Color.reduced(to:)`). Invariant: `.ansi` holds 0–15.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background colour.
    case `default`
    /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
    case ansi(UInt8)
    /// An index into the xterm 256-colour palette.
    case indexed(UInt8)
    /// A 24-bit colour.
    case rgb(UInt8, UInt8, UInt8)

    /// The colour as red, green, blue using the xterm default palette, or nil for `.default`.
    public var rgbComponents: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .default: return nil
        case .ansi(let i): return Palette.xterm256RGB(i & 15)
        case .indexed(let i): return Palette.xterm256RGB(i)
        case .rgb(let r, let g, let b): return (r, g, b)
        }
    }
}
