import Testing
@testable import TendUI

@Suite struct CellRunTests {
    let red = Style(foreground: .ansi(1))
    let blue = Style(foreground: .ansi(4), attributes: .bold)

    /// What a terminal shows after writing each run's cells (from `new`) over a screen showing `old`.
    func replay(_ runs: [CellRun], from old: CellBuffer, to new: CellBuffer) -> CellBuffer {
        var screen = old
        for r in runs {
            for x in r.x..<(r.x + r.count) { screen[x: x, y: r.y] = new[x: x, y: r.y] }
        }
        return screen
    }

    func runs(_ new: CellBuffer, since old: CellBuffer?, maxGap: Int = 8) -> [CellRun] {
        var out: [CellRun] = []
        new.forEachChangedRun(since: old, maxGap: maxGap) { out.append($0) }
        return out
    }

    @Test func changedRunsTurnTheOldScreenIntoTheNewOne() {
        var g = SystemRandomNumberGenerator()
        let styles = [Style.plain, red, blue]
        for _ in 0..<50 {
            var old = CellBuffer(width: 17, height: 5), new = old
            for i in 0..<(17 * 5) {
                let (x, y) = (i % 17, i / 17)
                old[x: x, y: y] = Cell(Character(Unicode.Scalar(UInt8.random(in: 97...99, using: &g))), style: styles.randomElement(using: &g)!)
                new[x: x, y: y] = Bool.random(using: &g) ? old[x: x, y: y]
                    : Cell(Character(Unicode.Scalar(UInt8.random(in: 97...99, using: &g))), style: styles.randomElement(using: &g)!)
            }
            let rs = runs(new, since: old, maxGap: Int.random(in: 0...4, using: &g))
            #expect(replay(rs, from: old, to: new) == new)
            for r in rs {
                #expect(r.count >= 1)
                // One style per run, and runs start and end on a changed cell.
                #expect((r.x..<(r.x + r.count)).allSatisfy { new[x: $0, y: r.y].style == r.style })
                #expect(new[x: r.x, y: r.y] != old[x: r.x, y: r.y])
                #expect(new[x: r.x + r.count - 1, y: r.y] != old[x: r.x + r.count - 1, y: r.y])
            }
        }
    }

    @Test func identicalBuffersNeedNoRuns() {
        let b = CellBuffer(lines: ["abc", "def"], style: red)
        #expect(runs(b, since: b).isEmpty)
    }

    @Test func shortUnchangedGapsAreBridgedLongOnesSplit() {
        let old = CellBuffer(lines: ["aaaaaaaaaa"], style: red)
        var new = old
        new[x: 1, y: 0] = Cell("x", style: red)
        new[x: 4, y: 0] = Cell("y", style: red)   // 2 unchanged cells between: bridged with maxGap 2
        new[x: 9, y: 0] = Cell("z", style: red)   // 4 unchanged cells between: split
        #expect(runs(new, since: old, maxGap: 2) == [CellRun(y: 0, x: 1, count: 4, style: red), CellRun(y: 0, x: 9, count: 1, style: red)])
        #expect(runs(new, since: old, maxGap: 0).count == 3)
    }

    @Test func aStyleChangeEndsARun() {
        let old = CellBuffer(lines: ["....", "...."])
        var new = old
        new.put("ab", x: 0, y: 1, style: red)
        new.put("cd", x: 2, y: 1, style: blue)
        #expect(runs(new, since: old) == [CellRun(y: 1, x: 0, count: 2, style: red), CellRun(y: 1, x: 2, count: 2, style: blue)])
    }

    @Test func withoutAnOldScreenEveryCellIsInAStyleRun() {
        var new = CellBuffer(width: 5, height: 2)
        new.put("ab", x: 1, y: 0, style: red)
        let rs = runs(new, since: nil)
        #expect(rs == [CellRun(y: 0, x: 0, count: 1, style: .plain), CellRun(y: 0, x: 1, count: 2, style: red),
                       CellRun(y: 0, x: 3, count: 2, style: .plain), CellRun(y: 1, x: 0, count: 5, style: .plain)])
        // An old buffer of another size counts as no old screen.
        #expect(runs(new, since: CellBuffer(width: 4, height: 2)) == rs)
    }

    @Test func copyCellsCopiesInPlaceOrReplacesOnSizeChange() {
        var a = CellBuffer(width: 3, height: 1)
        let b = CellBuffer(lines: ["xyz"], style: blue)
        a.copyCells(from: b)
        #expect(a == b)
        a.copyCells(from: CellBuffer(lines: ["ab", "cd"]))
        #expect(a.lines == ["ab", "cd"])
    }
}
