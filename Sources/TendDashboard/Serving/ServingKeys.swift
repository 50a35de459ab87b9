import TendCore
import TendUI

/// Keys that need a training run, while the dashboard serves a model it does not train: each opens a
/// message saying so instead of doing nothing (and the help lists them as such).
enum ServingKeys {
    static let refused: [(key: Key, label: String, what: String)] = [
        (.char(" "), "space", "pausing and resuming training"),
        (.char("c"), "c", "checkpoints"),
        (.char("f"), "f", "fine-tuning"),
        (.char("x"), "x", "what-if pruning"),
        (.char("z"), "z", "quantization"),
        (.char("d"), "d", "distillation"),
        (.char("b"), "b", "rolling back to a checkpoint"),
    ]

    /// The message `key` opens in `state` (served model set, main screen, no overlay); nil for other keys.
    static func refusal(_ state: DashboardState, _ key: Key) -> DashboardOverlay? {
        guard let served = state.servedModel, let r = refused.first(where: { $0.key == key }) else { return nil }
        return .message(title: "Serving, not training",
                        text: "\(r.what) needs a training run: this dashboard serves \(served) (inference only). "
                            + "Fine-tuning and compressing transformers are not available yet; `tend dashboard` without --model trains an MLP.")
    }

    /// The main screen's bindings with the training keys replaced by one line saying they need training.
    static func bindings(_ bindings: [KeyBinding]) -> [KeyBinding] {
        let keys = refused.map(\.key)
        var out = bindings.compactMap { b -> KeyBinding? in
            let rest = b.keys.filter { !keys.contains($0) }
            return rest.isEmpty ? nil : KeyBinding(b.label, b.description, keys: rest)
        }
        let line = KeyBinding(refused.map(\.label).joined(separator: " "), "need training: say why (serving only)", keys: keys)
        out.insert(line, at: max(0, out.count - 2))
        return out
    }
}
