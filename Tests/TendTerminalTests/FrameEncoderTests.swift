#if canImport(Glibc)
import Glibc
#endif
import Testing
import TendUI
@testable import TendTerminal

/// A deterministic generator so failures reproduce.
private struct LCG {
    var state: UInt64
    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
}

private let glyphs: [Character] = ["a", "Z", "7", " ", ".", "─", "│", "┤", "⣿", "⡇", "⠁", "█", "▂", "µ", "…", "é"]
private let palette: [Style] = [
    Style(foreground: .indexed(252), background: .indexed(235)),
    Style(foreground: .indexed(75), background: .indexed(235), attributes: .bold),
    Style(foreground: .ansi(9)),
    Style(foreground: .rgb(200, 100, 50), background: .default, attributes: [.dim, .underline]),
    Style(attributes: .reverse),
    .plain,
]

private func randomBuffer(_ w: Int, _ h: Int, _ rng: inout LCG) -> CellBuffer {
    var b = CellBuffer(width: w, height: h)
    for y in 0..<h { for x in 0..<w { b[x: x, y: y] = Cell(glyphs[rng.next(glyphs.count)], style: palette[rng.next(palette.count)]) } }
    return b
}

/// What a terminal of `depth` shows for `buffer`: every style reduced.
private func reduced(_ buffer: CellBuffer, to depth: ColorDepth) -> CellBuffer {
    var b = buffer
    for y in 0..<b.height { for x in 0..<b.width { b[x: x, y: y].style = b[x: x, y: y].style.reduced(to: depth) } }
    return b
}

@Suite(.serialized) struct FrameEncoderTests {
    init() { _ = setlocale(LC_CTYPE, "C.UTF-8") }

    @Test func fullFrameReproducesTheBufferOnAVirtualTerminal() {
        var rng = LCG(state: 1)
        let buffer = randomBuffer(40, 12, &rng)
        var encoder = FrameEncoder(depth: .xterm256, utf8: true)
        var bytes: [UInt8] = []
        encoder.encode(buffer, since: nil, columns: 40, rows: 12, background: .plain, into: &bytes)
        var term = VirtualTerminal(width: 40, height: 12)
        term.feed(bytes)
        #expect(term.unknownSequences.isEmpty)
        #expect(term.buffer.differences(from: reduced(buffer, to: .xterm256)).isEmpty)
    }

    @Test func incrementalFramesKeepTheScreenEqualToEachBuffer() {
        var rng = LCG(state: 7)
        for depth in [ColorDepth.trueColor, .xterm256, .ansi16, .ansi8, .none] {
            var encoder = FrameEncoder(depth: depth, utf8: true)
            var term = VirtualTerminal(width: 30, height: 8)
            var previous: CellBuffer? = nil
            var buffer = randomBuffer(30, 8, &rng)
            for frame in 0..<60 {
                var bytes: [UInt8] = []
                encoder.encode(buffer, since: previous, columns: 30, rows: 8, background: palette[0], into: &bytes)
                term.feed(bytes)
                let diff = term.buffer.differences(from: reduced(buffer, to: depth))
                #expect(diff.isEmpty, "depth \(depth) frame \(frame): \(diff.prefix(3))")
                previous = buffer
                // Change a few cells, sometimes a whole row, sometimes the last column (pending wrap).
                for _ in 0..<rng.next(12) {
                    buffer[x: rng.next(30), y: rng.next(8)] = Cell(glyphs[rng.next(glyphs.count)], style: palette[rng.next(palette.count)])
                }
                if rng.next(4) == 0 { buffer[x: 29, y: rng.next(8)] = Cell("X", style: palette[1]) }
                if rng.next(6) == 0 { buffer.put(String(repeating: "=", count: 30), x: 0, y: rng.next(8), style: palette[2]) }
            }
            #expect(term.unknownSequences.isEmpty)
        }
    }

    @Test func unchangedFrameWritesNothing() {
        var rng = LCG(state: 3)
        let buffer = randomBuffer(20, 5, &rng)
        var encoder = FrameEncoder(depth: .xterm256, utf8: true)
        var bytes: [UInt8] = []
        encoder.encode(buffer, since: nil, columns: 20, rows: 5, background: .plain, into: &bytes)
        bytes.removeAll()
        encoder.encode(buffer, since: buffer, columns: 20, rows: 5, background: .plain, into: &bytes)
        #expect(bytes.isEmpty)
    }

    @Test func movesWithTheShortestSequence() {
        let old = CellBuffer(width: 80, height: 3)
        var encoder = FrameEncoder(depth: .xterm256, utf8: true)
        var bytes: [UInt8] = []
        encoder.encode(old, since: nil, columns: 80, rows: 3, background: .plain, into: &bytes)
        var new = old
        new.put("a", x: 2, y: 1, style: .plain)
        new.put("b", x: 5, y: 1, style: Style(foreground: .indexed(1)))   // another style: no run bridges the gap
        new.put("c", x: 60, y: 1, style: .plain)
        bytes.removeAll()
        encoder.encode(new, since: old, columns: 80, rows: 3, background: .plain, into: &bytes)
        // CUP to row 2 col 3, "a", then the two blanks between rewritten, SGR, "b", CHA to column 61, SGR, "c".
        #expect(String(decoding: bytes, as: UTF8.self) == "\u{1b}[2;3Ha  \u{1b}[38;5;1mb\u{1b}[61G\u{1b}[0mc")
    }

    @Test func terminalsWithoutColumnAddressGetCursorPositionsOnly() {
        let old = CellBuffer(width: 80, height: 2)
        var new = old
        new.put("a", x: 2, y: 1, style: .plain)
        new.put("c", x: 60, y: 1, style: .plain)
        var encoder = FrameEncoder(depth: .none, utf8: true, columnAddress: false)
        var bytes: [UInt8] = []
        encoder.encode(old, since: nil, columns: 80, rows: 2, background: .plain, into: &bytes)
        bytes.removeAll()
        encoder.encode(new, since: old, columns: 80, rows: 2, background: .plain, into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "\u{1b}[2;3Ha\u{1b}[2;61Hc")
    }

    @Test func controlWideAndNonUTF8CharactersBecomeQuestionMarks() {
        var b = CellBuffer(width: 6, height: 1)
        b[x: 0, y: 0] = Cell(scalar: "\u{7}")
        b[x: 1, y: 0] = Cell(scalar: "漢")          // two columns wide
        b[x: 2, y: 0] = Cell(scalar: "\u{301}")     // zero width on its own
        b[x: 3, y: 0] = Cell("é")                    // one column in UTF-8
        b[x: 4, y: 0] = Cell("e\u{301}")             // base + combining mark: kept
        var utf = FrameEncoder(depth: .none, utf8: true), ascii = FrameEncoder(depth: .none, utf8: false)
        var a: [UInt8] = [], c: [UInt8] = []
        utf.encode(b, since: nil, columns: 6, rows: 1, background: .plain, into: &a)
        ascii.encode(b, since: nil, columns: 6, rows: 1, background: .plain, into: &c)
        var term = VirtualTerminal(width: 6, height: 1)
        term.feed(a)
        #expect(term.buffer.lines == ["???é\("e\u{301}") "])
        #expect(c.allSatisfy { $0 < 0x80 })
        #expect(String(decoding: c, as: UTF8.self).hasSuffix("????e "))
    }

    @Test func sgrUsesTheCodesOfEachColourDepth() {
        #expect(FrameEncoder.sgr(Style(foreground: .ansi(3), background: .ansi(12))) == Array("\u{1b}[0;33;104m".utf8))
        #expect(FrameEncoder.sgr(Style(foreground: .indexed(208), attributes: [.bold, .reverse])) == Array("\u{1b}[0;1;7;38;5;208m".utf8))
        #expect(FrameEncoder.sgr(Style(background: .rgb(1, 2, 3), attributes: .dim)) == Array("\u{1b}[0;2;48;2;1;2;3m".utf8))
        #expect(FrameEncoder.sgr(.plain) == Array("\u{1b}[0m".utf8))
        // From a known pen: only what changed; a full reset when an attribute must go.
        let base = Style(foreground: .indexed(252), background: .indexed(235))
        #expect(FrameEncoder.sgr(from: base, to: base.with(foreground: .indexed(75))) == Array("\u{1b}[38;5;75m".utf8))
        #expect(FrameEncoder.sgr(from: base, to: base.adding(.bold)) == Array("\u{1b}[1m".utf8))
        #expect(FrameEncoder.sgr(from: base, to: base.with(background: .default)) == Array("\u{1b}[49m".utf8))
        #expect(FrameEncoder.sgr(from: base.adding(.bold), to: base) == Array("\u{1b}[0;38;5;252;48;5;235m".utf8))
        #expect(FrameEncoder.sgr(from: base, to: base).isEmpty)
    }

    @Test func cellsOutsideASmallerScreenAreNotSent() {
        var b = CellBuffer(width: 10, height: 4)
        b.put("0123456789", x: 0, y: 3, style: .plain)
        var encoder = FrameEncoder(depth: .none, utf8: true)
        var bytes: [UInt8] = []
        encoder.encode(b, since: nil, columns: 5, rows: 3, background: .plain, into: &bytes)
        var term = VirtualTerminal(width: 5, height: 3)
        term.feed(bytes)
        #expect(term.buffer.lines == ["     ", "     ", "     "])
        #expect(term.unknownSequences.isEmpty)
    }
}
