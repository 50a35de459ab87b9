import Testing
@testable import TendUI

@Suite struct LayoutTests {
    @Test func columnsMixFixedFractionAndFill() {
        let parts = Layout.columns(Rect(x: 0, y: 0, width: 10, height: 2), [.fixed(3), .fill, .fraction(0.5)])
        #expect(parts.map(\.x) == [0, 3, 5])
        #expect(parts.map(\.width) == [3, 2, 5])
    }

    @Test func gridOfSixSpreadsRemaindersToFirstCells() {
        let cells = Layout.grid(Rect(x: 1, y: 1, width: 10, height: 5), columns: 3, rows: 2)
        #expect(cells.count == 6)
        #expect(cells.map(\.width) == [4, 3, 3, 4, 3, 3])
        #expect(cells.map(\.height) == [3, 3, 3, 2, 2, 2])
        #expect(cells[4] == Rect(x: 5, y: 4, width: 3, height: 2))
    }

    @Test func fixedSizesLargerThanTheRectAreCut() {
        let parts = Layout.rows(Rect(x: 0, y: 0, width: 4, height: 3), [.fixed(2), .fixed(5), .fill])
        #expect(parts.map(\.height) == [2, 1, 0])
    }
}
