import Testing
@testable import TendUI

@Suite struct NumberFormatTests {
    @Test func compactLabels() {
        #expect(NumberFormat.compact(1234) == "1.23k")
        #expect(NumberFormat.compact(999.9) == "1k")
        #expect(NumberFormat.compact(100) == "100")
        #expect(NumberFormat.compact(12.345) == "12.3")
        #expect(NumberFormat.compact(0.0421) == "0.0421")
        #expect(NumberFormat.compact(0.00001234) == "1.2e-05")
        #expect(NumberFormat.compact(-7) == "-7")
        #expect(NumberFormat.compact(2_500_000) == "2.5M")
        #expect(NumberFormat.compact(.nan) == "nan")
    }

    @Test func fixedDecimals() {
        #expect(NumberFormat.fixed(3.14159, decimals: 2) == "3.14")
        #expect(NumberFormat.fixed(-0.05, decimals: 1) == "-0.1")
        #expect(NumberFormat.fixed(2, decimals: 3) == "2.000")
        #expect(NumberFormat.fixed(-0.004, decimals: 2) == "0.00")
    }
}
