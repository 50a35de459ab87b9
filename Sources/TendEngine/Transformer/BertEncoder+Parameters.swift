import TendTensor

extension BertEncoder {
    /// Every tensor with its Hugging Face name (no `bert.` prefix) and role, in checkpoint order.
    /// The fused attention projection is derived, not listed.
    public var namedParameters: [BertNamedParameter] {
        var out: [BertNamedParameter] = [
            .init(name: "embeddings.word_embeddings.weight", role: .embedding, tensor: embeddings.word),
            .init(name: "embeddings.position_embeddings.weight", role: .embedding, tensor: embeddings.position),
            .init(name: "embeddings.token_type_embeddings.weight", role: .embedding, tensor: embeddings.tokenType),
            .init(name: "embeddings.LayerNorm.weight", role: .norm, tensor: embeddings.norm.weight),
            .init(name: "embeddings.LayerNorm.bias", role: .norm, tensor: embeddings.norm.bias),
        ]
        for (i, layer) in layers.enumerated() {
            let p = "encoder.layer.\(i)."
            func linear(_ name: String, _ l: Linear) {
                out.append(.init(name: p + name + ".weight", role: .weight, tensor: l.weight))
                out.append(.init(name: p + name + ".bias", role: .bias, tensor: l.bias))
            }
            func norm(_ name: String, _ n: NormParameters) {
                out.append(.init(name: p + name + ".weight", role: .norm, tensor: n.weight))
                out.append(.init(name: p + name + ".bias", role: .norm, tensor: n.bias))
            }
            linear("attention.self.query", layer.attention.query)
            linear("attention.self.key", layer.attention.key)
            linear("attention.self.value", layer.attention.value)
            linear("attention.output.dense", layer.attention.output)
            norm("attention.output.LayerNorm", layer.attention.outputNorm)
            linear("intermediate.dense", layer.feedForward.intermediate)
            linear("output.dense", layer.feedForward.output)
            norm("output.LayerNorm", layer.feedForward.outputNorm)
        }
        return out
    }

    /// The shape each named parameter must have (same order as `namedParameters`).
    public var expectedShapes: [(name: String, shape: [Int])] { namedParameters.map { ($0.name, $0.shape) } }

    /// Replaces the parameter `name` (Hugging Face name without `bert.`); false if no such parameter.
    /// Precondition: `tensor` has the parameter's shape. Call `weightsDidChange()` after the last one.
    @discardableResult
    public func setParameter(_ name: String, _ tensor: Tensor) -> Bool {
        func check(_ old: Tensor) { precondition(old.shape == tensor.shape, "setParameter \(name): shape \(tensor.shape), expected \(old.shape)") }
        switch name {
        case "embeddings.word_embeddings.weight": check(embeddings.word); embeddings.word = tensor; return true
        case "embeddings.position_embeddings.weight": check(embeddings.position); embeddings.position = tensor; return true
        case "embeddings.token_type_embeddings.weight": check(embeddings.tokenType); embeddings.tokenType = tensor; return true
        case "embeddings.LayerNorm.weight": check(embeddings.norm.weight); embeddings.norm.weight = tensor; return true
        case "embeddings.LayerNorm.bias": check(embeddings.norm.bias); embeddings.norm.bias = tensor; return true
        default: break
        }
        let parts = name.split(separator: ".", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[0] == "encoder", parts[1] == "layer", let i = Int(parts[2]), layers.indices.contains(i) else { return false }
        let rest = parts[3]
        func set(_ t: inout Tensor) -> Bool { check(t); t = tensor; return true }
        switch rest {
        case "attention.self.query.weight": return set(&layers[i].attention.query.weight)
        case "attention.self.query.bias": return set(&layers[i].attention.query.bias)
        case "attention.self.key.weight": return set(&layers[i].attention.key.weight)
        case "attention.self.key.bias": return set(&layers[i].attention.key.bias)
        case "attention.self.value.weight": return set(&layers[i].attention.value.weight)
        case "attention.self.value.bias": return set(&layers[i].attention.value.bias)
        case "attention.output.dense.weight": return set(&layers[i].attention.output.weight)
        case "attention.output.dense.bias": return set(&layers[i].attention.output.bias)
        case "attention.output.LayerNorm.weight": return set(&layers[i].attention.outputNorm.weight)
        case "attention.output.LayerNorm.bias": return set(&layers[i].attention.outputNorm.bias)
        case "intermediate.dense.weight": return set(&layers[i].feedForward.intermediate.weight)
        case "intermediate.dense.bias": return set(&layers[i].feedForward.intermediate.bias)
        case "output.dense.weight": return set(&layers[i].feedForward.output.weight)
        case "output.dense.bias": return set(&layers[i].feedForward.output.bias)
        case "output.LayerNorm.weight": return set(&layers[i].feedForward.outputNorm.weight)
        case "output.LayerNorm.bias": return set(&layers[i].feedForward.outputNorm.bias)
        default: return false
        }
    }

    /// The embedding tables and the linear layers (6 per encoder layer), in order, with shapes.
    public var layerListing: [BertLayerInfo] {
        var out: [BertLayerInfo] = [
            .init(name: "embeddings.word_embeddings", kind: .embedding, shape: embeddings.word.shape.dims, parameters: embeddings.word.count),
            .init(name: "embeddings.position_embeddings", kind: .embedding, shape: embeddings.position.shape.dims, parameters: embeddings.position.count),
            .init(name: "embeddings.token_type_embeddings", kind: .embedding, shape: embeddings.tokenType.shape.dims, parameters: embeddings.tokenType.count),
        ]
        for (i, layer) in layers.enumerated() {
            for (name, l) in [("attention.self.query", layer.attention.query), ("attention.self.key", layer.attention.key),
                              ("attention.self.value", layer.attention.value), ("attention.output.dense", layer.attention.output),
                              ("intermediate.dense", layer.feedForward.intermediate), ("output.dense", layer.feedForward.output)] {
                out.append(.init(name: "encoder.layer.\(i).\(name)", kind: .linear, shape: l.weight.shape.dims,
                                 parameters: l.weight.count + l.bias.count))
            }
        }
        return out
    }

    /// Scalar parameters in all (22.7M for all-MiniLM-L6-v2).
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.tensor.count } }
}
