import Testing
import TendCore
import TendUI
@testable import TendDashboard

@Suite struct FineTuneFormTests {
    let state = DashboardState(columns: 120, fineTuneDefaults: FineTuneForm(dataPath: "Samples/digits-drift.csv"))

    func press(_ s: DashboardState, _ keys: [Key], run: RunState = .training) -> (DashboardState, [DashboardAction]) {
        var state = s, all: [DashboardAction] = []
        for k in keys { let (n, a) = update(state, k, run: run); state = n; all += a }
        return (state, all)
    }
    func type(_ text: String) -> [Key] { text.map { Key.char($0) } }

    @Test func opensWithTheDefaultsAndSubmitsThem() {
        let (open, _) = press(state, [.char("f")])
        guard case .fineTune(let form) = open.overlay else { Issue.record("form not open"); return }
        #expect(form.dataPath == "Samples/digits-drift.csv" && form.epochs == "5" && form.learningRate == "5e-4")
        let (done, actions) = press(open, [.enter])
        #expect(done.overlay == .none)
        #expect(actions == [.engine(.fineTune(dataPath: "Samples/digits-drift.csv", epochs: 5, learningRate: 5e-4))])
    }

    @Test func tabMovesBetweenFieldsAndTypingEditsTheFocusedOne() {
        let keys: [Key] = [.char("f"), .tab, .backspace] + type("12") + [.tab] + [.backspace, .backspace, .backspace, .backspace]
            + type("0.001") + [.tab, .backspace, .backspace, .backspace, .backspace] + [.enter]
        let (s, actions) = press(state, keys)
        #expect(s.overlay == .none)
        #expect(actions == [.engine(.fineTune(dataPath: "Samples/digits-drift", epochs: 12, learningRate: 0.001))])
    }

    @Test func lettersAreTypedNotTreatedAsCommands() {
        let (s, actions) = press(state, [.char("f"), .tab, .char("q"), .char(" ")])
        #expect(actions.isEmpty)
        guard case .fineTune(let form) = s.overlay else { Issue.record("form closed"); return }
        #expect(form.epochs == "5q ")
    }

    @Test func invalidValuesAreRefusedWithAMessageOnTheField() {
        let (s, actions) = press(state, [.char("f"), .tab, .backspace] + type("zero") + [.enter])
        #expect(actions.isEmpty)
        guard case .fineTune(let form) = s.overlay else { Issue.record("form closed"); return }
        #expect(form.focusedField == .epochs)
        #expect(form.error?.contains("epochs") == true)
        // Editing clears the message.
        guard case .fineTune(let edited) = press(s, [.backspace]).0.overlay else { Issue.record("form closed"); return }
        #expect(edited.error == nil)
        let lr = FineTuneForm(dataPath: "", epochs: "3", learningRate: "-1").submission()
        if case .failure(let e) = lr { #expect(e.field == .learningRate) } else { Issue.record("negative rate accepted") }
    }

    @Test func emptyDataPathMeansTheTrainingData() {
        let (_, actions) = press(DashboardState(), [.char("f"), .enter])
        #expect(actions == [.engine(.fineTune(dataPath: nil, epochs: 5, learningRate: 5e-4))])
    }

    @Test func escapeCancelsWithoutAction() {
        let (s, actions) = press(state, [.char("f")] + type("xyz") + [.escape])
        #expect(s.overlay == .none && actions.isEmpty)
    }

    @Test func notOfferedBeforeTheRunStartsOrAfterAnError() {
        #expect(press(state, [.char("f")], run: .starting).0.overlay == .none)
        #expect(press(state, [.char("f")], run: .error).0.overlay == .none)
        if case .fineTune = press(state, [.char("f")], run: .finished).0.overlay {} else { Issue.record("not offered when finished") }
    }
}
