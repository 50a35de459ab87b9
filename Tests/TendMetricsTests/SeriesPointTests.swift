import Testing
@testable import TendMetrics

@Suite struct SeriesPointTests {
    @Test func holdsValues() { #expect(SeriesPoint(x: 1, y: 2).y == 2) }
}
