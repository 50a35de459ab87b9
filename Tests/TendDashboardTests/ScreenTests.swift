import Testing
@testable import TendDashboard

@Suite struct ScreenTests {
    @Test func listsScreens() { #expect(Screen.allCases.count == 6) }
}
