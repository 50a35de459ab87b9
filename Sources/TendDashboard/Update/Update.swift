import TendCore
import TendUI

/// The dashboard's key handling: the new state and what to do outside, for `key` pressed while the run is in
/// `run` (from the latest snapshot). Pure; a key that does nothing returns the state unchanged and no actions.
public func update(_ state: DashboardState, _ key: Key, run: RunState) -> (DashboardState, [DashboardAction]) {
    var s = state
    switch state.overlay {
    case .none where state.screen == .triage:
        let actions = updateTriage(&s, key, run: run)
        return (s, actions)
    case .none:
        let actions: [DashboardAction]
        switch s.screen {
        case .whatIfPruning: actions = updatePruningScreen(&s, key, run: run)
        case .quantization: actions = updateQuantizationScreen(&s, key, run: run)
        case .distillation: actions = updateDistillationScreen(&s, key, run: run)
        default:
            if let note = ServingKeys.refusal(s, key) { s.overlay = note; return (s, []) }
            actions = updateMain(&s, key, run: run)
        }
        return (s, actions)
    case .help:
        if key == .escape || key == .char("?") || key == .enter { s.overlay = .none }
        return (s, [])
    case .confirmQuit:
        switch key {
        case .char("y"), .char("Y"), .enter:
            s.overlay = .none
            return (s, [.engine(.stop(checkpoint: true)), .quit])
        case .char("n"), .char("N"), .escape:
            s.overlay = .none
        default: break
        }
        return (s, [])
    case .fineTune(var form):
        if key == .escape { s.overlay = .none; return (s, []) }
        if key == .enter {
            switch form.submission() {
            case .success(let v):
                s.overlay = .none
                return (s, [.engine(.fineTune(dataPath: v.dataPath, epochs: v.epochs, learningRate: v.learningRate))])
            case .failure(let e):
                form.error = e.message
                form.focusedField = e.field
            }
        } else {
            editForm(&form, key)
        }
        s.overlay = .fineTune(form)
        return (s, [])
    case .message:
        if key == .escape || key == .enter || key == .char(" ") { s.overlay = .none }
        return (s, [])
    }
}

/// Keys of the main screen (no overlay). Must honour exactly `DashboardKeymap.bindings`.
private func updateMain(_ s: inout DashboardState, _ key: Key, run: RunState) -> [DashboardAction] {
    switch key {
    case .char("q"):
        if DashboardKeymap.isLive(run) { s.overlay = .confirmQuit; return [] }
        return [.quit]
    case .char(" "):
        if run == .training { return [.engine(.pause)] }
        if run == .paused { return [.engine(.resume)] }
    case .char("c"):
        if DashboardKeymap.canCheckpoint(run) { return [.engine(.checkpoint)] }
    case .char("f"):
        if DashboardKeymap.canFineTune(run) { s.overlay = .fineTune(s.fineTuneDefaults) }
    case .char("b"):
        if DashboardKeymap.canRollback(run) { return [.engine(.rollback)] }
    case .tab: moveFocus(&s, to: DashboardPanel(rawValue: (s.focus.rawValue + 1) % 6)!)
    case .backTab: moveFocus(&s, to: DashboardPanel(rawValue: (s.focus.rawValue + 5) % 6)!)
    case .left, .char("h"): moveFocus(&s, to: s.grid.neighbour(of: s.focus, .left))
    case .right, .char("l"): moveFocus(&s, to: s.grid.neighbour(of: s.focus, .right))
    case .up, .char("k"): moveFocus(&s, to: s.grid.neighbour(of: s.focus, .up))
    case .down, .char("j"): moveFocus(&s, to: s.grid.neighbour(of: s.focus, .down))
    case .enter: s.zoomed = s.zoomed == nil ? s.focus : nil
    case .char(let c) where c.isASCII && c.isWholeNumber:
        guard let n = c.wholeNumberValue, let panel = DashboardPanel(number: n) else { break }
        if s.zoomed == panel { s.zoomed = nil } else { s.zoomed = panel; s.focus = panel }
    case .char("s"): s.smoothing = steppedSmoothing(s.smoothing, by: DashboardState.smoothingStep)
    case .char("S"): s.smoothing = steppedSmoothing(s.smoothing, by: -DashboardState.smoothingStep)
    case .char("L"): s.logLoss.toggle()
    case .char("r"): s.showRaw.toggle()
    case .char("t"):
        guard s.themeNames.count > 1 else { break }
        s.themeIndex = (s.themeIndex + 1) % s.themeNames.count
        return [.setTheme(s.themeIndex)]
    case .pageUp where s.focus == .events:
        s.eventsScroll = min(DashboardState.maxEventsScroll, s.eventsScroll + DashboardState.eventsPage)
    case .pageDown where s.focus == .events: s.eventsScroll = max(0, s.eventsScroll - DashboardState.eventsPage)
    case .end where s.focus == .events: s.eventsScroll = 0
    case .char("?"): s.overlay = .help
    case .char("x"): s.screen = .whatIfPruning; return [.engine(s.pruning.previewCommand)]
    case .char("z"): s.screen = .quantization; return [.engine(s.quantization.previewCommand)]
    case .char("a"): s.screen = .triage
    case .char("d"): s.screen = .distillation; return [.engine(s.distillation.startCommand)]
    case .char("R"): return [.writeIncidentReport]
    case .escape: s.zoomed = nil
    default: break
    }
    return []
}

/// Focus moves; a zoomed view follows the focus so the arrows page through full-screen panels.
private func moveFocus(_ s: inout DashboardState, to panel: DashboardPanel) {
    s.focus = panel
    if s.zoomed != nil { s.zoomed = panel }
}

/// `value + delta` rounded to hundredths (so ten presses land on round numbers) and clamped to the range.
func steppedSmoothing(_ value: Double, by delta: Double) -> Double {
    let r = DashboardState.smoothingRange
    let v = ((value + delta) * 100).rounded() / 100
    return min(r.upperBound, max(r.lowerBound, v))
}

/// Text editing inside the fine-tune form.
private func editForm(_ form: inout FineTuneForm, _ key: Key) {
    let fields = FineTuneForm.Field.allCases
    switch key {
    case .tab, .down:
        form.focusedField = fields[(form.focusedField.rawValue + 1) % fields.count]
    case .backTab, .up:
        form.focusedField = fields[(form.focusedField.rawValue + fields.count - 1) % fields.count]
    case .backspace, .delete:
        var text = form[form.focusedField]
        if !text.isEmpty { text.removeLast(); form[form.focusedField] = text; form.error = nil }
    case .char(let c):
        guard let scalar = c.unicodeScalars.first, scalar.value >= 0x20, scalar.value != 0x7f,
              form[form.focusedField].count < FineTuneForm.maxLength(form.focusedField) else { return }
        form[form.focusedField].append(c)
        form.error = nil
    default: break
    }
}
