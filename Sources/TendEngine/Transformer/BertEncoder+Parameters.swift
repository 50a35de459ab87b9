import TendTensor

extension BertEncoder {
    /// Every tensor's Hugging Face name (no `bert.` prefix), role and shape, in checkpoint order, without
    /// reading any values. The packed copies are derived, not listed.
    public var parameterLayout: [(name: String, role: ParameterRole, shape: [Int])] {
        var out: [(name: String, role: ParameterRole, shape: [Int])] = []
        forEachParameter { name, role, shape, _ in out.append((name, role, shape)) }
        return out
    }

    /// Every tensor with its Hugging Face name (no `bert.` prefix) and role, in checkpoint order.
    /// Embedding tables and linear weights are materialised from their storage (copies: ~4 bytes per parameter).
    public var namedParameters: [BertNamedParameter] {
        var out: [BertNamedParameter] = []
        forEachParameter { name, role, _, value in out.append(.init(name: name, role: role, tensor: value())) }
        return out
    }

    /// Calls `body(name, role, shape, value)` for each parameter in checkpoint order; `value()` materialises it.
    func forEachParameter(_ body: (String, ParameterRole, [Int], () -> Tensor) -> Void) {
        func storage(_ name: String, _ role: ParameterRole, _ s: WeightStorage) { body(name, role, s.shape.dims, { s.tensor }) }
        func tensor(_ name: String, _ role: ParameterRole, _ t: Tensor) { body(name, role, t.shape.dims, { t }) }
        storage("embeddings.word_embeddings.weight", .embedding, embeddings.wordStorage)
        storage("embeddings.position_embeddings.weight", .embedding, embeddings.positionStorage)
        storage("embeddings.token_type_embeddings.weight", .embedding, embeddings.tokenTypeStorage)
        tensor("embeddings.LayerNorm.weight", .norm, embeddings.norm.weight)
        tensor("embeddings.LayerNorm.bias", .norm, embeddings.norm.bias)
        for (i, layer) in layers.enumerated() {
            let p = "encoder.layer.\(i)."
            func linear(_ name: String, _ l: Linear) {
                storage(p + name + ".weight", .weight, l.weightStorage)
                tensor(p + name + ".bias", .bias, l.bias)
            }
            func norm(_ name: String, _ n: NormParameters) {
                tensor(p + name + ".weight", .norm, n.weight)
                tensor(p + name + ".bias", .norm, n.bias)
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
    }

    /// The shape each named parameter must have (same order as `namedParameters`); reads no values.
    public var expectedShapes: [(name: String, shape: [Int])] { parameterLayout.map { ($0.name, $0.shape) } }

    /// Replaces the parameter `name` (Hugging Face name without `bert.`) with a copy of `tensor`; false if no
    /// such parameter. Precondition: `tensor` has the parameter's shape. Call `weightsDidChange()` after the last one.
    @discardableResult
    public func setParameter(_ name: String, _ tensor: Tensor) -> Bool {
        setParameter(name, tensor: tensor, storage: nil)
    }

    /// Replaces the parameter `name` with `storage` (e.g. borrowed from a mapped file: no copy for the embedding
    /// tables and linear weights; biases and LayerNorm parameters, a few KB, are copied). False if no such parameter.
    @discardableResult
    public func setParameter(_ name: String, storage: WeightStorage) -> Bool {
        setParameter(name, tensor: nil, storage: storage)
    }

    private func setParameter(_ name: String, tensor: Tensor?, storage: WeightStorage?) -> Bool {
        let shape = tensor?.shape ?? storage!.shape
        func check(_ old: Shape) { precondition(old == shape, "setParameter \(name): shape \(shape), expected \(old)") }
        func store(_ s: inout WeightStorage) -> Bool { check(s.shape); s = storage ?? WeightStorage(copying: tensor!); return true }
        func set(_ t: inout Tensor) -> Bool { check(t.shape); t = tensor ?? storage!.tensor; return true }
        switch name {
        case "embeddings.word_embeddings.weight": return store(&embeddings.wordStorage)
        case "embeddings.position_embeddings.weight": return store(&embeddings.positionStorage)
        case "embeddings.token_type_embeddings.weight": return store(&embeddings.tokenTypeStorage)
        case "embeddings.LayerNorm.weight": return set(&embeddings.norm.weight)
        case "embeddings.LayerNorm.bias": return set(&embeddings.norm.bias)
        default: break
        }
        let parts = name.split(separator: ".", maxSplits: 3).map(String.init)
        guard parts.count == 4, parts[0] == "encoder", parts[1] == "layer", let i = Int(parts[2]), layers.indices.contains(i) else { return false }
        switch parts[3] {
        case "attention.self.query.weight": return store(&layers[i].attention.query.weightStorage)
        case "attention.self.query.bias": return set(&layers[i].attention.query.bias)
        case "attention.self.key.weight": return store(&layers[i].attention.key.weightStorage)
        case "attention.self.key.bias": return set(&layers[i].attention.key.bias)
        case "attention.self.value.weight": return store(&layers[i].attention.value.weightStorage)
        case "attention.self.value.bias": return set(&layers[i].attention.value.bias)
        case "attention.output.dense.weight": return store(&layers[i].attention.output.weightStorage)
        case "attention.output.dense.bias": return set(&layers[i].attention.output.bias)
        case "attention.output.LayerNorm.weight": return set(&layers[i].attention.outputNorm.weight)
        case "attention.output.LayerNorm.bias": return set(&layers[i].attention.outputNorm.bias)
        case "intermediate.dense.weight": return store(&layers[i].feedForward.intermediate.weightStorage)
        case "intermediate.dense.bias": return set(&layers[i].feedForward.intermediate.bias)
        case "output.dense.weight": return store(&layers[i].feedForward.output.weightStorage)
        case "output.dense.bias": return set(&layers[i].feedForward.output.bias)
        case "output.LayerNorm.weight": return set(&layers[i].feedForward.outputNorm.weight)
        case "output.LayerNorm.bias": return set(&layers[i].feedForward.outputNorm.bias)
        default: return false
        }
    }

    /// The embedding tables and the linear layers (6 per encoder layer), in order, with shapes.
    public var layerListing: [BertLayerInfo] {
        var out: [BertLayerInfo] = [
            .init(name: "embeddings.word_embeddings", kind: .embedding, shape: embeddings.wordStorage.shape.dims, parameters: embeddings.wordStorage.count),
            .init(name: "embeddings.position_embeddings", kind: .embedding, shape: embeddings.positionStorage.shape.dims, parameters: embeddings.positionStorage.count),
            .init(name: "embeddings.token_type_embeddings", kind: .embedding, shape: embeddings.tokenTypeStorage.shape.dims, parameters: embeddings.tokenTypeStorage.count),
        ]
        for (i, layer) in layers.enumerated() {
            for (name, l) in [("attention.self.query", layer.attention.query), ("attention.self.key", layer.attention.key),
                              ("attention.self.value", layer.attention.value), ("attention.output.dense", layer.attention.output),
                              ("intermediate.dense", layer.feedForward.intermediate), ("output.dense", layer.feedForward.output)] {
                out.append(.init(name: "encoder.layer.\(i).\(name)", kind: .linear, shape: l.weightStorage.shape.dims,
                                 parameters: l.weightStorage.count + l.bias.count))
            }
        }
        return out
    }

    /// Scalar parameters in all (22.7M for all-MiniLM-L6-v2).
    public var parameterCount: Int { parameterLayout.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// Bytes of the weights by where they live: read in place from a mapping (`borrowedBytes`), held in
    /// allocations of their own (`ownedBytes`: copied or converted weights, biases, LayerNorm), and the packed
    /// panels for few-row products (`packedBytes`, derived).
    public var weightMemory: (borrowedBytes: Int, ownedBytes: Int, packedBytes: Int) {
        var borrowed = 0, owned = 0, packed = 0
        func add(_ s: WeightStorage) { if s.isBorrowed { borrowed += s.bytes } else { owned += s.bytes } }
        func add(_ t: Tensor) { owned += 4 * t.count }
        add(embeddings.wordStorage); add(embeddings.positionStorage); add(embeddings.tokenTypeStorage)
        add(embeddings.norm.weight); add(embeddings.norm.bias)
        for layer in layers {
            let a = layer.attention, f = layer.feedForward
            for l in [a.query, a.key, a.value, a.output, f.intermediate, f.output] {
                add(l.weightStorage); add(l.bias)
                packed += l.packed?.bytes ?? 0
            }
            packed += a.fusedPacked?.bytes ?? 0
            add(a.fusedBias)
            for n in [a.outputNorm, f.outputNorm] { add(n.weight); add(n.bias) }
        }
        return (borrowed, owned, packed)
    }
}
