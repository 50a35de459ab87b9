import Testing
@testable import TendUI

@Suite struct RectTests {
    @Test func insetNeverGoesNegative() { #expect(Rect(x: 0, y: 0, width: 1, height: 1).inset(by: 2).isEmpty) }
}
