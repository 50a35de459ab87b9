#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import TendUI

/// Turns "the screen shows `previous`, make it show `buffer`" into one string of ECMA-48 bytes (cursor
/// positioning, SGR colours and attributes, UTF-8 text) that the backend sends with a single write(2).
///
/// ncurses 6.4's `doupdate` flushes after every cursor movement, so a chart refresh left in ~50 small writes
/// (each a pty push and a wake-up of tmux or sshd); diffing here, where the cells are already known, also
/// saves ncurses' second diff. The encoder remembers the cursor and the current SGR ("pen") across frames;
/// `forget()` drops both after anything else wrote to the terminal.
///
/// Invariants: every cell occupies one column (controls, wide and zero-width bases become `?`; a combining mark
/// is kept only when it has zero width); colours are reduced to `depth` before encoding; without `utf8` every
/// non-ASCII scalar is written as `?`.
public struct FrameEncoder {
    public let depth: ColorDepth
    public let utf8: Bool
    /// The terminal moves within a row with CHA (`CSI n G`, terminfo `hpa`); otherwise every move is a CUP.
    public let columnAddress: Bool
    /// Where the terminal's cursor is, when known (0-based cells).
    private var cursor: (x: Int, y: Int)?
    /// The SGR state the terminal is in, when known.
    private var pen: Style?
    /// SGR bytes from one pen to the next (nil pen: unknown, a full reset), cached: styles repeat every frame.
    private struct PenChange: Hashable { var from: Style?, to: Style }
    private var sgrCache: [PenChange: [UInt8]] = [:]
    /// Rewrite at most this many unchanged cells of the pen's style instead of moving the cursor over them.
    private let maxRewrite = 4

    public init(depth: ColorDepth, utf8: Bool, columnAddress: Bool = true) {
        self.depth = depth; self.utf8 = utf8; self.columnAddress = columnAddress
    }

    /// Forgets the cursor position and pen (after a resize, or when something else wrote to the terminal).
    public mutating func forget() { cursor = nil; pen = nil }

    /// Appends to `out` the bytes that bring a `columns` × `rows` screen showing `previous` (nil: unknown, e.g.
    /// after a resize) up to `buffer`. With `previous` nil the screen is first cleared in `background` (so cells
    /// outside a smaller buffer are blank) and every cell is written. Cells outside the screen are skipped.
    public mutating func encode(_ buffer: CellBuffer, since previous: CellBuffer?, columns: Int, rows: Int,
                                background: Style, into out: inout [UInt8]) {
        let full = previous == nil || previous!.width != buffer.width || previous!.height != buffer.height
        if full {
            setPen(background, into: &out)
            out.append(contentsOf: [0x1b, 0x5b, 0x48, 0x1b, 0x5b, 0x32, 0x4a])   // ESC[H ESC[2J: home, clear
            cursor = (0, 0)
        }
        let maxX = min(columns, buffer.width), maxY = min(rows, buffer.height)
        guard maxX > 0, maxY > 0 else { return }
        let w = buffer.width
        buffer.cells.withUnsafeBufferPointer { cells in
            buffer.forEachChangedRun(since: full ? nil : previous) { run in
                guard run.y < maxY, run.x < maxX else { return }
                let n = min(run.count, maxX - run.x)
                moveTo(x: run.x, y: run.y, cells: cells, width: w, into: &out)
                setPen(run.style, into: &out)
                let first = run.y * w + run.x
                for k in 0..<n { appendGlyph(cells[first + k], into: &out) }
                advance(by: n, columns: columns)
            }
        }
    }

    /// Positions the cursor at (x, y): nothing when it is there, the skipped cells themselves when a few of
    /// the pen's style lie between, CHA on the same row, CUP otherwise.
    private mutating func moveTo(x: Int, y: Int, cells: UnsafeBufferPointer<Cell>, width: Int, into out: inout [UInt8]) {
        if let c = cursor, c.y == y {
            if c.x == x { return }
            if let pen, x > c.x, x - c.x <= maxRewrite {
                let row = y * width
                var plain = true
                for k in c.x..<x where cells[row + k].style != pen || cells[row + k].scalar.value >= 0x80
                    || cells[row + k].mark != nil || FrameEncoder.isControl(cells[row + k].scalar.value) {
                    plain = false; break
                }
                if plain {
                    for k in c.x..<x { out.append(UInt8(cells[row + k].scalar.value)) }
                    cursor = (x, y)
                    return
                }
            }
        }
        if columnAddress, let c = cursor, c.y == y {
            out.append(contentsOf: [0x1b, 0x5b]); appendDecimal(x + 1, into: &out); out.append(0x47)   // CHA
        } else {
            out.append(contentsOf: [0x1b, 0x5b]); appendDecimal(y + 1, into: &out); out.append(0x3b)
            appendDecimal(x + 1, into: &out); out.append(0x48)   // CUP
        }
        cursor = (x, y)
    }

    /// After writing `n` cells: the cursor moved right, unless it reached the last column (where terminals
    /// differ on the pending wrap), in which case its position is unknown.
    private mutating func advance(by n: Int, columns: Int) {
        guard let c = cursor else { return }
        cursor = c.x + n >= columns ? nil : (c.x + n, c.y)
    }

    private mutating func setPen(_ style: Style, into out: inout [UInt8]) {
        if let pen, pen == style { return }
        let change = PenChange(from: pen, to: style)
        if let cached = sgrCache[change] {
            out.append(contentsOf: cached)
        } else {
            let seq = FrameEncoder.sgr(from: pen?.reduced(to: depth), to: style.reduced(to: depth))
            sgrCache[change] = seq
            out.append(contentsOf: seq)
        }
        pen = style
    }

    /// The shortest of: only what changed from `old` (attributes added, colours that differ, 39/49 back to the
    /// defaults), when no attribute has to be switched off; otherwise (or with `old` unknown) a full `sgr(new)`.
    /// Both reduced. Empty when nothing visible changes.
    static func sgr(from old: Style?, to new: Style) -> [UInt8] {
        guard let old, old.attributes.isSubset(of: new.attributes) else { return sgr(new) }
        var params = attributeParameters(new.attributes.subtracting(old.attributes))
        if new.foreground != old.foreground { params.append(colorParameter(new.foreground, background: false) ?? "39") }
        if new.background != old.background { params.append(colorParameter(new.background, background: true) ?? "49") }
        if params.isEmpty { return [] }
        let delta = Array(("\u{1b}[" + params.joined(separator: ";") + "m").utf8)
        let full = sgr(new)
        return delta.count <= full.count ? delta : full
    }

    /// One SGR sequence that sets exactly `style` (already reduced): reset, attributes, colours.
    static func sgr(_ style: Style) -> [UInt8] {
        var params = ["0"] + attributeParameters(style.attributes)
        if let fg = colorParameter(style.foreground, background: false) { params.append(fg) }
        if let bg = colorParameter(style.background, background: true) { params.append(bg) }
        return Array(("\u{1b}[" + params.joined(separator: ";") + "m").utf8)
    }

    /// The SGR parameters that switch `a` on (bold 1, dim 2, italic 3, underline 4, reverse 7).
    static func attributeParameters(_ a: Attributes) -> [String] {
        [(Attributes.bold, "1"), (.dim, "2"), (.italic, "3"), (.underline, "4"), (.reverse, "7")]
            .compactMap { a.contains($0.0) ? $0.1 : nil }
    }

    /// The SGR parameter for a colour; nil for the terminal default (already set by the reset).
    static func colorParameter(_ c: Color, background: Bool) -> String? {
        switch c {
        case .default: return nil
        case .ansi(let i):
            let i = Int(i)
            return i < 8 ? String((background ? 40 : 30) + i) : String((background ? 100 : 90) + (i - 8))
        case .indexed(let n): return (background ? "48;5;" : "38;5;") + String(n)
        case .rgb(let r, let g, let b): return (background ? "48;2;" : "38;2;") + "\(r);\(g);\(b)"
        }
    }

    @inline(__always) static func isControl(_ v: UInt32) -> Bool { v < 0x20 || v == 0x7f || (v >= 0x80 && v < 0xa0) }

    /// The cell's text as one terminal column: see the type's invariants.
    private func appendGlyph(_ cell: Cell, into out: inout [UInt8]) {
        let v = cell.scalar.value
        if v < 0x80 {
            out.append(FrameEncoder.isControl(v) ? 0x3f : UInt8(v))
            if let m = cell.mark, utf8, wcwidth(wchar_t(m.value)) == 0 { appendUTF8(m.value, into: &out) }
            return
        }
        guard utf8, !FrameEncoder.isControl(v), wcwidth(wchar_t(v)) == 1 else { out.append(0x3f); return }
        appendUTF8(v, into: &out)
        if let m = cell.mark, wcwidth(wchar_t(m.value)) == 0 { appendUTF8(m.value, into: &out) }
    }

    private func appendUTF8(_ v: UInt32, into out: inout [UInt8]) {
        switch v {
        case ..<0x80: out.append(UInt8(v))
        case ..<0x800:
            out.append(UInt8(0xc0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3f)))
        case ..<0x10000:
            out.append(UInt8(0xe0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3f)))
            out.append(UInt8(0x80 | (v & 0x3f)))
        default:
            out.append(UInt8(0xf0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3f)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3f))); out.append(UInt8(0x80 | (v & 0x3f)))
        }
    }

    private func appendDecimal(_ n: Int, into out: inout [UInt8]) {
        if n >= 10 { appendDecimal(n / 10, into: &out) }
        out.append(UInt8(0x30 + n % 10))
    }
}
