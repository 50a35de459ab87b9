import TendCore
import TendUI

/// Keys of the distillation screen; `updateDistillationScreen` honours exactly these. Leaving with `esc` keeps the
/// student training in the background (`d` comes back to it).
public enum DistillationKeymap {
    public static func bindings(_ state: DashboardState, run: RunState) -> [KeyBinding] {
        let d = state.distillation
        var out: [KeyBinding] = []
        if d.studentReady && !d.servingStudent { out.append(KeyBinding("enter", "serve the student (latency panel shows it)", keys: [.enter])) }
        if d.servingStudent { out.append(KeyBinding("u", "serve the teacher again", keys: [.char("u")])) }
        if d.ended { out.append(KeyBinding("r", "distil a new student from the current teacher", keys: [.char("r")])) }
        switch run {
        case .training: out.append(KeyBinding("space", "pause the teacher's training", keys: [.char(" ")]))
        case .paused: out.append(KeyBinding("space", "resume the teacher's training", keys: [.char(" ")]))
        default: break
        }
        out.append(KeyBinding("esc", "back to the dashboard (the student keeps training)", keys: [.escape]))
        out.append(KeyBinding("?", "this help", keys: [.char("?")]))
        return out
    }

    public static func hints(_ state: DashboardState, run: RunState) -> [String] {
        let d = state.distillation
        var h: [String] = []
        if d.studentReady && !d.servingStudent { h.append("enter serve student") }
        if d.servingStudent { h.append("u teacher") }
        if d.ended { h.append("r again") }
        return h + ["esc back", "? help"]
    }
}

/// Keys on the distillation screen (no overlay open).
func updateDistillationScreen(_ s: inout DashboardState, _ key: Key, run: RunState) -> [DashboardAction] {
    switch key {
    case .enter where s.distillation.studentReady && !s.distillation.servingStudent:
        s.screen = .dashboard
        return [.engine(.serveStudent)]
    case .char("u") where s.distillation.servingStudent:
        return [.engine(.serveTeacher)]
    case .char("r") where s.distillation.ended:
        s.distillation.ended = false
        return [.engine(s.distillation.restartCommand)]
    case .char(" ") where run == .training: return [.engine(.pause)]
    case .char(" ") where run == .paused: return [.engine(.resume)]
    case .escape: s.screen = .dashboard
    case .char("?"): s.overlay = .help
    default: break
    }
    return []
}
