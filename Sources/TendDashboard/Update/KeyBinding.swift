import TendCore
import TendUI

/// One line of the help overlay: the keys that do something, how they are written, and what they do.
public struct KeyBinding: Sendable, Equatable {
    /// How the keys are written for the user, e.g. `"s / S"`.
    public var label: String
    public var description: String
    /// Every key this line covers (for tests and the status line).
    public var keys: [Key]

    public init(_ label: String, _ description: String, keys: [Key]) {
        self.label = label; self.description = description; self.keys = keys
    }
}

/// Which keys work on the dashboard right now. The help overlay and the status line are built from this,
/// and `update` honours exactly these keys on the main screen (a test holds the two together).
public enum DashboardKeymap {
    /// The bindings of the main screen (no overlay open) for `state` while the run is in `run`.
    public static func bindings(_ state: DashboardState, run: RunState) -> [KeyBinding] {
        if state.screen == .triage { return TriageKeymap.bindings(state, run: run) }
        switch state.screen {
        case .whatIfPruning: return PruningKeymap.bindings(state, run: run)
        case .quantization: return QuantizationKeymap.bindings(state, run: run)
        case .distillation: return DistillationKeymap.bindings(state, run: run)
        default: break
        }
        var out: [KeyBinding] = []
        switch run {
        case .training: out.append(KeyBinding("space", "pause training", keys: [.char(" ")]))
        case .paused: out.append(KeyBinding("space", "resume training", keys: [.char(" ")]))
        default: break
        }
        if canCheckpoint(run) { out.append(KeyBinding("c", "write a checkpoint now", keys: [.char("c")])) }
        if canFineTune(run) { out.append(KeyBinding("f", "fine-tune on another data file", keys: [.char("f")])) }
        if canRollback(run) {
            out.append(KeyBinding("b", "roll back to the last good checkpoint", keys: [.char("b")]))
        }
        out.append(KeyBinding("tab / shift-tab", "focus next / previous panel", keys: [.tab, .backTab]))
        out.append(KeyBinding("arrows / h j k l", "move focus left, down, up, right",
                              keys: [.left, .down, .up, .right, .char("h"), .char("j"), .char("k"), .char("l")]))
        out.append(KeyBinding("enter", state.zoomed == nil ? "zoom the focused panel" : "back to all panels", keys: [.enter]))
        out.append(KeyBinding("1-6", "zoom panel 1-6 (again: back)", keys: (1...6).map { .char(Character(String($0))) }))
        out.append(KeyBinding("s / S", "more / less smoothing (now \(DashboardFormat.weight(state.smoothing)))",
                              keys: [.char("s"), .char("S")]))
        out.append(KeyBinding("L", state.logLoss ? "linear loss axis" : "logarithmic loss axis", keys: [.char("L")]))
        out.append(KeyBinding("r", state.showRaw ? "hide raw points" : "show raw points", keys: [.char("r")]))
        if state.themeNames.count > 1 {
            let next = state.themeNames[(state.themeIndex + 1) % state.themeNames.count]
            out.append(KeyBinding("t", "next theme (\(next))", keys: [.char("t")]))
        }
        if state.focus == .events {
            out.append(KeyBinding("pgup / pgdn", "scroll the events back / forward", keys: state.eventsScroll > 0
                                  ? [.pageUp, .pageDown] : [.pageUp]))
            if state.eventsScroll > 0 { out.append(KeyBinding("end", "newest events", keys: [.end])) }
        }
        if state.zoomed != nil { out.append(KeyBinding("esc", "back to all panels", keys: [.escape])) }
        out.append(KeyBinding("x", "what-if pruning", keys: [.char("x")]))
        out.append(KeyBinding("z", "quantization", keys: [.char("z")]))
        out.append(KeyBinding("d", "distillation: train a smaller student", keys: [.char("d")]))
        out.append(KeyBinding("a", "triage: alerts, evidence, actions", keys: [.char("a")]))
        out.append(KeyBinding("R", "write the incident report", keys: [.char("R")]))
        out.append(KeyBinding("?", "this help", keys: [.char("?")]))
        out.append(KeyBinding("q", isLive(run) ? "stop training (with checkpoint) and quit" : "quit", keys: [.char("q")]))
        return state.servedModel == nil ? out : ServingKeys.bindings(out)
    }

    /// Short key hints for the status line, most useful first.
    public static func hints(_ state: DashboardState, run: RunState) -> [String] {
        if state.screen == .triage { return TriageKeymap.hints(state, run: run) }
        switch state.screen {
        case .whatIfPruning: return PruningKeymap.hints(state, run: run)
        case .quantization: return QuantizationKeymap.hints(state, run: run)
        case .distillation: return DistillationKeymap.hints(state, run: run)
        default: break
        }
        if run == .finished && state.servedModel == nil {
            // Training is over and serving goes on: say what can come next, most useful first ("q quit" and
            // "? help" stay when the line is narrow; see `StatusModel.hintsByImportance`).
            return ["f fine-tune", "x prune", "z quantize", "b rollback", "q quit", "? help"]
        }
        var parts: [String] = []
        switch run {
        case .training: parts.append("space pause")
        case .paused: parts.append("space resume")
        default: break
        }
        if canFineTune(run) && state.servedModel == nil { parts.append("f fine-tune") }
        parts.append("? help")
        parts.append("q quit")
        return parts
    }

    /// The run can still be stopped, so quitting asks first.
    static func isLive(_ run: RunState) -> Bool { run == .training || run == .paused || run == .starting }
    static func canCheckpoint(_ run: RunState) -> Bool { run == .training || run == .paused }
    /// The training thread still takes model commands: while training and after the run finished
    /// (a stopped run's thread has ended).
    static func canRollback(_ run: RunState) -> Bool { run == .training || run == .paused || run == .finished }
    static func canFineTune(_ run: RunState) -> Bool {
        run == .training || run == .paused || run == .finished || run == .stopped
    }
}
