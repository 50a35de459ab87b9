import TendEngine
import TendTensor

/// Export of a Tend MLP for other runtimes: a PyTorch state dict (names an `nn.Sequential` or an `fcN`
/// module expects) and an ONNX graph (features → logits). Both carry exactly the model's tensors; pruned
/// weights export as their (zeroed) dense values.
public enum MLPExport {
    /// How the PyTorch tensor names are laid out.
    public enum TorchNames: String, Sendable, CaseIterable {
        /// `nn.Sequential` module indices: `0.weight`, `0.bias`, `2.weight`, … (activation, LayerNorm and
        /// Dropout modules take their own indices, as in `sequentialModule`).
        case sequential
        /// Tend's own names, a module with attributes `fc1`, `ln1`, `fc2`, …: `fc1.weight`, `ln1.weight`, …
        case fc
    }

    /// The state dict: (name, tensor) in module order; weights [out, in] as `nn.Linear` keeps them.
    public static func torchStateDict(_ mlp: MLP, names: TorchNames) -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        for (i, layer) in mlp.layers.enumerated() {
            for p in layer.parameters {
                switch names {
                case .fc: out.append((p.name, p.value))
                case .sequential:
                    let field = p.name.split(separator: ".").last.map(String.init) ?? p.name
                    out.append(("\(i).\(field)", p.value))
                }
            }
        }
        return out
    }

    /// Python source of the `nn.Sequential` whose `state_dict()` has `torchStateDict(_, names: .sequential)`'s
    /// names and shapes, e.g. `nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))` (`nn` = `torch.nn`).
    public static func sequentialModule(_ mlp: MLP) -> String {
        let parts: [String] = mlp.layers.map { layer in
            switch layer {
            case let d as Dense: return "nn.Linear(\(d.inputs), \(d.outputs))"
            case let n as LayerNorm: return "nn.LayerNorm(\(n.gamma.value.storage.count), eps=\(n.epsilon))"
            case let d as Dropout: return "nn.Dropout(\(d.rate))"
            case is ReLU: return "nn.ReLU()"
            case is GELU: return "nn.GELU(approximate='tanh')"
            case is Tanh: return "nn.Tanh()"
            case is Sigmoid: return "nn.Sigmoid()"
            default: return "nn.Identity()"
            }
        }
        return "nn.Sequential(" + parts.joined(separator: ", ") + ")"
    }

    /// The ONNX graph: input `features` [batch, inputs] (raw, before normalisation) → `logits` [batch, outputs].
    /// With a non-identity `normalizer`: `Sub(offset)`, `Mul(factor)` first (x' = (x − offset) · factor);
    /// then per layer `Gemm` (transB = 1), `LayerNormalization`, the activation; Dropout is dropped (inference).
    public static func onnx(_ mlp: MLP, normalizer: Normalizer?, doc: String = "") -> OnnxModel {
        var b = OnnxGraphBuilder(name: "tend_mlp")
        b.input("features", .float, [.name("batch"), .value(mlp.layout.inputs)])
        var h = "features"
        if let n = normalizer, n.kind != .none || n.offset.contains(where: { $0 != 0 }) || n.factor.contains(where: { $0 != 1 }) {
            let f = n.offset.count
            h = b.node("Sub", [h, b.constant("normalizer.offset", dims: [f], n.offset)])
            h = b.node("Mul", [h, b.constant("normalizer.factor", dims: [f], n.factor)])
        }
        let last = mlp.layers.lastIndex { $0 is Dense }
        for (i, layer) in mlp.layers.enumerated() {
            switch layer {
            case let d as Dense:
                let w = b.constant(d.weight.name, dims: [d.outputs, d.inputs], d.weight.value.storage)
                let bias = b.constant(d.bias.name, dims: [d.outputs], d.bias.value.storage)
                h = b.node("Gemm", [h, w, bias], [OnnxAttribute("transB", .int(1))], output: i == last ? "logits" : nil)
            case let n as LayerNorm:
                let g = b.constant(n.gamma.name, dims: [n.gamma.value.storage.count], n.gamma.value.storage)
                let be = b.constant(n.beta.name, dims: [n.beta.value.storage.count], n.beta.value.storage)
                h = b.layerNorm(h, gamma: g, beta: be, epsilon: n.epsilon)
            case is ReLU: h = b.node("Relu", [h])
            case is GELU: h = b.geluTanh(h)
            case is Tanh: h = b.node("Tanh", [h])
            case is Sigmoid: h = b.node("Sigmoid", [h])
            default: break
            }
        }
        b.output("logits", .float, [.name("batch"), .value(mlp.layout.outputs)])
        b.setDoc("Tend MLP \(mlp.layout.summary): features → logits")
        return OnnxModel(graph: b.graph, doc: doc)
    }
}
