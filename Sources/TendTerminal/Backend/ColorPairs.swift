import CNCurses
import TendUI

/// Lazily allocated ncurses colour pairs, one per (foreground, background) after reduction to the terminal's
/// depth. Pairs past `COLOR_PAIRS - 1` fall back to pair 0 (terminal defaults).
struct ColorPairs {
    struct Key: Hashable { var fg: Int32, bg: Int32 }
    private var pairs: [Key: Int32] = [:]
    private var next: Int32 = 1
    let limit: Int32
    let depth: ColorDepth
    private(set) var exhausted = false

    init(depth: ColorDepth, colorPairs: Int32) {
        self.depth = depth
        limit = depth == .none ? 0 : max(0, colorPairs - 1)
    }

    /// The ncurses colour number for an already reduced colour (-1: terminal default). Direct-colour
    /// terminals (truecolor) take packed 0xRRGGBB numbers, except that 0–7 still mean the ANSI colours.
    func number(_ c: Color) -> Int32 {
        if case .default = c { return -1 }
        if depth == .trueColor {
            if case .ansi(let i) = c, i < 8 { return Int32(i) }
            guard let rgb = c.rgbComponents else { return -1 }
            return Int32(rgb.r) << 16 | Int32(rgb.g) << 8 | Int32(rgb.b)
        }
        switch c {
        case .default: return -1
        case .ansi(let i): return Int32(i)
        case .indexed(let i): return Int32(i)
        case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }

    /// The pair for a style's colours, allocating it on first use.
    mutating func pair(for style: Style) -> Int32 {
        guard depth != .none else { return 0 }
        let key = Key(fg: number(style.foreground.reduced(to: depth)), bg: number(style.background.reduced(to: depth)))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let p = pairs[key] { return p }
        guard next <= limit, init_extended_pair(next, key.fg, key.bg) != tend_err() else { exhausted = true; return 0 }
        pairs[key] = next
        next += 1
        return next - 1
    }
}
