import Testing
import TendCore
import TendUI
@testable import TendDashboard

@Suite struct KeymapTests {
    /// Every key a user might press on the main screen.
    static let candidates: [Key] = {
        var keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .tab, .backTab, .enter, .escape,
                           .backspace, .delete, .function(1), .resize]
        for v in 0x20...0x7e { keys.append(.char(Character(Unicode.Scalar(UInt8(v))))) }
        return keys
    }()

    func doesSomething(_ s: DashboardState, _ k: Key, _ run: RunState) -> Bool {
        let (n, a) = update(s, k, run: run)
        return n != s || !a.isEmpty
    }

    @Test(arguments: [RunState.starting, .training, .paused, .finished, .stopped, .error])
    func helpListsExactlyTheKeysThatWork(run: RunState) {
        var states = [DashboardState(themeNames: ["default", "light"]), DashboardState(themeNames: ["default"], columns: 80)]
        var zoomed = states[0]; zoomed.zoomed = .layers; zoomed.focus = .layers
        states.append(zoomed)
        for s in states {
            let listed = Set(DashboardKeymap.bindings(s, run: run).flatMap(\.keys))
            for k in Self.candidates {
                #expect(doesSomething(s, k, run) == listed.contains(k), "key \(k) while \(run), zoomed \(String(describing: s.zoomed))")
            }
        }
    }

    @Test func statusHintsNameOnlyWorkingKeys() {
        #expect(DashboardKeymap.hints(DashboardState(), run: .training).contains("space pause"))
        #expect(DashboardKeymap.hints(DashboardState(), run: .paused).contains("space resume"))
        #expect(!DashboardKeymap.hints(DashboardState(), run: .finished).contains { $0.hasPrefix("space") })
    }
}
