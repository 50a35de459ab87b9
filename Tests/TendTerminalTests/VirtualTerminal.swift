#if canImport(Glibc)
import Glibc
#endif
import CNCurses
import TendUI

/// A minimal xterm-like screen for tests: interprets exactly what `FrameEncoder` may send (CUP, CHA, ED 2, SGR,
/// UTF-8 text with combining marks, deferred autowrap at the last column) and fails loudly on anything else.
struct VirtualTerminal {
    let width: Int, height: Int
    var cells: [Cell]
    var x = 0, y = 0
    var pendingWrap = false
    var pen = Style.plain
    var unknownSequences: [String] = []

    init(width: Int, height: Int) {
        self.width = width; self.height = height
        cells = Array(repeating: Cell(" "), count: width * height)
    }

    /// The screen as a cell buffer.
    var buffer: CellBuffer {
        var b = CellBuffer(width: width, height: height)
        for yy in 0..<height { for xx in 0..<width { b[x: xx, y: yy] = cells[yy * width + xx] } }
        return b
    }

    mutating func feed(_ bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1b {
                guard i + 1 < bytes.count, bytes[i + 1] == 0x5b else { unknownSequences.append("ESC without ["); i += 1; continue }
                var j = i + 2
                while j < bytes.count, !(0x40...0x7e).contains(bytes[j]) { j += 1 }
                let params = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                control(params, final: bytes[j])
                i = j + 1
                continue
            }
            // UTF-8 decode one scalar.
            var v = UInt32(b), n = 0
            if b >= 0xf0 { v = UInt32(b & 0x07); n = 3 } else if b >= 0xe0 { v = UInt32(b & 0x0f); n = 2 }
            else if b >= 0xc0 { v = UInt32(b & 0x1f); n = 1 }
            for k in 0..<n { v = v << 6 | UInt32(bytes[i + 1 + k] & 0x3f) }
            i += 1 + n
            put(Unicode.Scalar(v)!)
        }
    }

    private mutating func put(_ s: Unicode.Scalar) {
        if s.value >= 0x300, wcwidth(wchar_t(s.value)) == 0 {   // combining: onto the previous cell
            let px = pendingWrap ? x : max(0, x - 1)
            cells[y * width + px].mark = s
            return
        }
        if pendingWrap { x = 0; y = min(height - 1, y + 1); pendingWrap = false }
        cells[y * width + x] = Cell(scalar: s, style: pen)
        if x == width - 1 { pendingWrap = true } else { x += 1 }
    }

    private mutating func control(_ params: String, final: UInt8) {
        let p = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
        pendingWrap = false
        switch final {
        case UInt8(ascii: "H"):
            y = max(0, min(height - 1, (p.first ?? 1) - 1)); x = max(0, min(width - 1, (p.count > 1 ? p[1] : 1) - 1))
        case UInt8(ascii: "G"):
            x = max(0, min(width - 1, (p.first ?? 1) - 1))
        case UInt8(ascii: "J") where params == "2":
            for k in cells.indices { cells[k] = Cell(" ", style: Style(background: pen.background)) }
        case UInt8(ascii: "m"):
            sgr(p.isEmpty ? [0] : p)
        default:
            unknownSequences.append(params + String(UnicodeScalar(final)))
        }
    }

    private mutating func sgr(_ p: [Int]) {
        var i = 0
        while i < p.count {
            switch p[i] {
            case 0: pen = .plain
            case 1: pen.attributes.insert(.bold)
            case 2: pen.attributes.insert(.dim)
            case 3: pen.attributes.insert(.italic)
            case 4: pen.attributes.insert(.underline)
            case 7: pen.attributes.insert(.reverse)
            case 30...37: pen.foreground = .ansi(UInt8(p[i] - 30))
            case 40...47: pen.background = .ansi(UInt8(p[i] - 40))
            case 90...97: pen.foreground = .ansi(UInt8(p[i] - 90 + 8))
            case 100...107: pen.background = .ansi(UInt8(p[i] - 100 + 8))
            case 39: pen.foreground = .default
            case 49: pen.background = .default
            case 38, 48:
                let isForeground = p[i] == 38
                let c: Color
                if p[i + 1] == 5 { c = .indexed(UInt8(p[i + 2])); i += 2 }
                else { c = .rgb(UInt8(p[i + 2]), UInt8(p[i + 3]), UInt8(p[i + 4])); i += 4 }
                if isForeground { pen.foreground = c } else { pen.background = c }
            default: unknownSequences.append("SGR \(p[i])")
            }
            i += 1
        }
    }
}
