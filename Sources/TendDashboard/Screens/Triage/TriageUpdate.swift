import TendCore
import TendMetrics
import TendUI

/// How long `m` mutes the selected alert, in seconds.
public let triageMuteSeconds = 600.0
/// What `L` does to the L2 coefficient (AdamW: weight decay): × `triageL2Factor`, at least `triageL2Floor`.
public let triageL2Factor = 10.0
public let triageL2Floor = 1e-4

/// Keys of the triage screen (no overlay open). Must honour exactly `TriageKeymap.bindings`.
func updateTriage(_ s: inout DashboardState, _ key: Key, run: RunState) -> [DashboardAction] {
    switch key {
    case .escape, .char("a"): s.screen = .dashboard
    case .up, .char("k"): s.triageSelection = max(0, s.triageSelection - 1)
    case .down, .char("j"): s.triageSelection = min(TriageKeymap.maxSelection, s.triageSelection + 1)
    case .home: s.triageSelection = 0
    case .char("b"):
        if DashboardKeymap.canRollback(run) { return [.engine(.rollback)] }
    case .char("e"):
        if DashboardKeymap.canCheckpoint(run) { return [.engine(.stopEarly)] }
    case .char("L"):
        if DashboardKeymap.canCheckpoint(run) { return [.engine(.raiseL2(factor: triageL2Factor, atLeast: triageL2Floor))] }
    case .char("p"), .char(" "):
        if run == .training { return [.engine(.pause)] }
        if run == .paused { return [.engine(.resume)] }
    case .char("m"): return [.muteAlert(row: s.triageSelection, seconds: triageMuteSeconds)]
    case .char("R"): return [.writeIncidentReport]
    case .char("?"): s.overlay = .help
    case .char("q"):
        if DashboardKeymap.isLive(run) { s.overlay = .confirmQuit; return [] }
        return [.quit]
    default: break
    }
    return []
}

/// The keys of the triage screen, for its help overlay and hint line.
public enum TriageKeymap {
    /// Largest selection index `↓` reaches (the view clamps to the list).
    static let maxSelection = 10_000

    public static func bindings(_ state: DashboardState, run: RunState) -> [KeyBinding] {
        var out: [KeyBinding] = [
            KeyBinding("up / down", "select an alert", keys: [.up, .down, .char("k"), .char("j"), .home]),
        ]
        if DashboardKeymap.canRollback(run) {
            out.append(KeyBinding("b", run == .finished ? "roll back to the last good checkpoint"
                                  : "roll back to the last good checkpoint and continue", keys: [.char("b")]))
        }
        if DashboardKeymap.canCheckpoint(run) {
            out.append(KeyBinding("e", "stop early and restore the best weights", keys: [.char("e")]))
            out.append(KeyBinding("L", "raise L2 (x\(Int(triageL2Factor)), at least \(triageL2Floor)) and continue", keys: [.char("L")]))
        }
        switch run {
        case .training: out.append(KeyBinding("p / space", "pause training", keys: [.char("p"), .char(" ")]))
        case .paused: out.append(KeyBinding("p / space", "resume training", keys: [.char("p"), .char(" ")]))
        default: break
        }
        out.append(KeyBinding("m", "mute the selected alert for \(Int(triageMuteSeconds / 60)) minutes", keys: [.char("m")]))
        out.append(KeyBinding("R", "write the incident report", keys: [.char("R")]))
        out.append(KeyBinding("esc / a", "back to the dashboard", keys: [.escape, .char("a")]))
        out.append(KeyBinding("?", "this help", keys: [.char("?")]))
        out.append(KeyBinding("q", DashboardKeymap.isLive(run) ? "stop training (with checkpoint) and quit" : "quit", keys: [.char("q")]))
        return out
    }

    /// The action keys the evidence panel offers for `alert`: its suggested actions that work in this run
    /// state (b after numerics/divergence, e after overfitting/plateau, L after overfitting), then pause and mute.
    public static func actionHints(for alert: Alert?, run: RunState) -> [String] {
        var parts: [String] = []
        let rule = alert?.ruleID ?? ""
        if DashboardKeymap.canRollback(run), rule.hasPrefix("numerics") || rule.hasPrefix("divergence") {
            parts.append("b roll back to last good checkpoint")
        }
        if DashboardKeymap.canCheckpoint(run) {
            if rule.hasPrefix("overfitting") || rule == "plateau" { parts.append("e stop early, restore best") }
            if rule.hasPrefix("overfitting") { parts.append("L raise L2, continue") }
        }
        if run == .training { parts.append("p pause") } else if run == .paused { parts.append("p resume") }
        parts.append("m mute \(Int(triageMuteSeconds / 60)) min")
        parts.append("R report")
        return parts
    }

    public static func hints(_ state: DashboardState, run: RunState) -> [String] {
        var parts: [String] = []
        if DashboardKeymap.canRollback(run) { parts.append("b rollback") }
        if run == .training { parts.append("p pause") } else if run == .paused { parts.append("p resume") }
        parts += ["m mute", "esc back", "? help"]
        return parts
    }
}
