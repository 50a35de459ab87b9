import TendCore
import TendUI

/// Keys of the what-if pruning screen: the help overlay and status hints are built from `bindings`,
/// and `updatePruningScreen` honours exactly these.
public enum PruningKeymap {
    public static func bindings(_ state: DashboardState, run: RunState) -> [KeyBinding] {
        let p = state.pruning
        let unit = p.mode == .threshold ? "the threshold" : "the target sparsity"
        var out = [
            KeyBinding("left right / h l", "move \(unit) a small step", keys: [.left, .right, .char("h"), .char("l")]),
            KeyBinding("H / L", "move \(unit) a big step", keys: [.char("H"), .char("L")]),
            KeyBinding("m", p.mode == .threshold ? "switch to target sparsity" : "switch to a magnitude threshold", keys: [.char("m")]),
            KeyBinding("g", p.global ? "rank each layer on its own" : "one global ranking", keys: [.char("g")]),
            KeyBinding("w", "sweep 0-95% sparsity: accuracy curve", keys: [.char("w")]),
            KeyBinding("enter", "prune the model to this candidate", keys: [.enter]),
            KeyBinding("r", "prune, then fine-tune \(p.fineTuneEpochs) epochs with masks fixed", keys: [.char("r")]),
            KeyBinding("u", "undo the last pruning", keys: [.char("u")]),
        ]
        switch run {
        case .training: out.append(KeyBinding("space", "pause training", keys: [.char(" ")]))
        case .paused: out.append(KeyBinding("space", "resume training", keys: [.char(" ")]))
        default: break
        }
        out.append(KeyBinding("esc", "back to the dashboard, no changes", keys: [.escape]))
        out.append(KeyBinding("?", "this help", keys: [.char("?")]))
        return out
    }

    public static func hints(_ state: DashboardState, run: RunState) -> [String] {
        ["h/l move", "m mode", "w sweep", "enter prune", "r +fine-tune", "u undo", "esc back", "? help"]
    }
}

/// Keys on the what-if pruning screen (no overlay open).
func updatePruningScreen(_ s: inout DashboardState, _ key: Key, run: RunState) -> [DashboardAction] {
    switch key {
    case .left, .char("h"): s.pruning.move(-1, big: false)
    case .right, .char("l"): s.pruning.move(1, big: false)
    case .char("H"): s.pruning.move(-1, big: true)
    case .char("L"): s.pruning.move(1, big: true)
    case .char("m"): s.pruning.mode = s.pruning.mode == .threshold ? .sparsity : .threshold
    case .char("g"): s.pruning.global.toggle()
    case .char("w"): return [.engine(.sweepPrune(global: s.pruning.global))]
    case .enter:
        s.screen = .dashboard
        return [.engine(s.pruning.commitCommand(epochs: 0))]
    case .char("r"):
        s.screen = .dashboard
        return [.engine(s.pruning.commitCommand(epochs: s.pruning.fineTuneEpochs))]
    case .char("u"): return [.engine(.undo), .engine(s.pruning.previewCommand)]
    case .char(" "):
        if run == .training { return [.engine(.pause)] }
        if run == .paused { return [.engine(.resume)] }
        return []
    case .escape: s.screen = .dashboard; return []
    case .char("?"): s.overlay = .help; return []
    default: return []
    }
    return [.engine(s.pruning.previewCommand)]
}
