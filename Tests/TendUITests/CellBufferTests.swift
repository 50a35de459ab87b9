import Testing
@testable import TendUI

@Suite struct CellBufferTests {
    @Test func putClipsAtEdgesAndReturnsNextColumn() {
        var b = CellBuffer(width: 5, height: 2, fill: Cell(marker))
        let next = b.put("abcdefg", x: -2, y: 0, style: .plain)
        b.put("xy", x: 4, y: 1, style: .plain)
        b.put("zz", x: 0, y: 7, style: .plain)
        #expect(next == 5)
        #expect(b.lines == ["cdefg", "····x"])
    }

    @Test func putRespectsClipRect() {
        var b = CellBuffer(width: 6, height: 1, fill: Cell(marker))
        b.put("abcdef", x: 0, y: 0, style: .plain, clip: Rect(x: 2, y: 0, width: 2, height: 1))
        #expect(b.lines == ["··cd··"])
    }

    @Test func controlCharactersBecomeQuestionMarks() {
        var b = CellBuffer(width: 3, height: 1)
        b.put("a\tb", x: 0, y: 0, style: .plain)
        #expect(b.lines == ["a?b"])
    }

    @Test func fillClipsAndSubscriptOutsideIsBlank() {
        var b = CellBuffer(width: 3, height: 3, fill: Cell(marker))
        b.fill(rect: Rect(x: 1, y: 1, width: 10, height: 10), cell: Cell("#"))
        b[x: -1, y: 0] = Cell("!")
        #expect(b.lines == ["···", "·##", "·##"])
        #expect(b[x: 9, y: 9] == .blank)
    }

    @Test func linesInitRoundTripsAndPadsShortRows() {
        let b = CellBuffer(lines: ["ab", "c"])
        #expect(b.width == 2 && b.height == 2)
        #expect(b.lines == ["ab", "c "])
    }

    @Test func differencesListChangedCellsWithStyles() {
        let a = CellBuffer(lines: ["abc", "def"])
        var b = a
        b.put("X", x: 1, y: 1, style: .plain)
        b.put("c", x: 2, y: 0, style: Style(attributes: .bold))
        let d = b.differences(from: a)
        #expect(d.map { [$0.x, $0.y] } == [[2, 0], [1, 1]])
        #expect(b.differences(from: a, includeStyle: false).count == 1)
        #expect(d[1].description == "(1,1) 'e' → 'X'")
    }

    @Test func zeroSizedBufferAcceptsEverything() {
        var b = CellBuffer(width: 0, height: 0)
        b.put("abc", x: 0, y: 0, style: .plain)
        b.fill(rect: Rect(x: 0, y: 0, width: 5, height: 5), cell: Cell("#"))
        #expect(b.lines.isEmpty)
    }
}
