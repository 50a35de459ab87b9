import TendCore
import TendUI

/// Keys of the quantization screen; `updateQuantizationScreen` honours exactly these.
public enum QuantizationKeymap {
    public static func bindings(_ state: DashboardState, run: RunState) -> [KeyBinding] {
        let q = state.quantization
        let methods = QuantizationScreenState.calibrationMethods
        let next = methods[((methods.firstIndex(of: q.calibration) ?? 0) + 1) % methods.count]
        var out: [KeyBinding] = []
        let moves = (q.selected > 0 ? [Key.up] : []) + (q.selected + 1 < q.layers.count ? [Key.down] : [])
        if !moves.isEmpty { out.append(KeyBinding("up / down", "select a layer", keys: moves)) }
        out += [
            KeyBinding("p", q.perChannel ? "per-tensor weight scales" : "per-channel weight scales", keys: [.char("p")]),
            KeyBinding("a", q.symmetric ? "affine (zero-point) weights" : "symmetric weights", keys: [.char("a")]),
            KeyBinding("c", "calibration: \(q.calibration), next \(next)", keys: [.char("c")]),
        ]
        if q.canToggleKeep {
            let name = q.layers[q.selected].name
            out.append(KeyBinding("k", q.keepFP32.contains(name) ? "quantize \(name) again" : "keep \(name) in fp32",
                                  keys: [.char("k")]))
        }
        out.append(KeyBinding("enter", "serve the int8 model", keys: [.enter]))
        out.append(KeyBinding("u", "serve fp32 again", keys: [.char("u")]))
        out.append(KeyBinding("esc", "back to the dashboard", keys: [.escape]))
        out.append(KeyBinding("?", "this help", keys: [.char("?")]))
        return out
    }

    public static func hints(_ state: DashboardState, run: RunState) -> [String] {
        var h = ["p chan", "a sym", "c calib"]
        if state.quantization.canToggleKeep { h.append("k fp32") }
        return h + ["enter serve int8", "u fp32", "esc back", "? help"]
    }
}

/// Keys on the quantization screen (no overlay open).
func updateQuantizationScreen(_ s: inout DashboardState, _ key: Key, run: RunState) -> [DashboardAction] {
    switch key {
    case .up: s.quantization.selected = max(0, s.quantization.selected - 1); return []
    case .down: s.quantization.selected = min(max(0, s.quantization.layers.count - 1), s.quantization.selected + 1); return []
    case .char("p"): s.quantization.perChannel.toggle()
    case .char("a"): s.quantization.symmetric.toggle()
    case .char("c"):
        let m = QuantizationScreenState.calibrationMethods
        s.quantization.calibration = m[((m.firstIndex(of: s.quantization.calibration) ?? 0) + 1) % m.count]
    case .char("k"):
        guard s.quantization.canToggleKeep else { return [] }
        let name = s.quantization.layers[s.quantization.selected].name
        if let i = s.quantization.keepFP32.firstIndex(of: name) { s.quantization.keepFP32.remove(at: i) }
        else { s.quantization.keepFP32.append(name) }
    case .enter:
        s.screen = .dashboard
        return [.engine(s.quantization.serveCommand)]
    case .char("u"): return [.engine(.serveFP32), .engine(s.quantization.previewCommand)]
    case .escape: s.screen = .dashboard; return []
    case .char("?"): s.overlay = .help; return []
    default: return []
    }
    return [.engine(s.quantization.previewCommand)]
}
