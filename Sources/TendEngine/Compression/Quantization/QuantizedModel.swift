import TendTensor

/// Any `Model` with every linear layer swapped for its int8 form, as PyTorch's `quantize_dynamic` does:
/// each layer named in `linearLayers` is quantized (per-channel or per-tensor weights, 7-bit input codes
/// with a range calibrated for that layer by name) unless `QuantizationConfig.keepFP32` lists it; every other
/// block (LayerNorm, GELU, attention, …) runs in fp32 on a private copy of the model. When the model is a
/// plain chain (`sequentialLayers`), a ReLU between two int8 layers is fused into the first one's epilogue,
/// which writes the next layer's codes directly. Owns scratch buffers: use from one thread at a time.
public final class QuantizedModel: Predictor {
    /// One linear layer on the int8 or the fp32 path.
    public enum Stage {
        case int8(Int8Linear)
        case fp32(Dense)

        public var name: String {
            switch self {
            case .int8(let l): l.name
            case .fp32(let d): String(d.weight.name.dropLast(".weight".count))
            }
        }
    }

    public let architecture: Architecture
    public let config: QuantizationConfig
    /// One per linear layer, in `linearLayers` order.
    public let stages: [Stage]
    /// The variant used for products (tests pin others; `Int8Kernel.best` by default).
    public var kernel: Int8Kernel = .best {
        didSet { for r in runners { r?.kernel = kernel } }
    }
    /// fp32 copy of the model whose int8 layers forward through their runners.
    private let base: any Model
    private let runners: [Int8Runner?]
    /// For a chain: the blocks after each linear layer up to the next one (no dropout), and whether
    /// that is exactly one ReLU (fused into the int8 epilogue). nil when the model is not a chain.
    private let chain: (post: [[Layer]], fusedReLU: [Bool])?

    /// Quantizes `model` with activation ranges calibrated on `calibration` (features [rows, inputs], already
    /// normalised as the model expects).
    public convenience init(model: any Model, calibration: Tensor, config: QuantizationConfig = QuantizationConfig()) {
        let inputs = model.architecture.featureCount ?? calibration.cols
        precondition(calibration.rank == 2 && calibration.cols == inputs && calibration.rows > 0,
                     "QuantizedModel: calibration data \(calibration.shape) must be [rows > 0, \(inputs)]")
        self.init(model: model, calibration: .features(calibration), config: config)
    }

    /// Quantizes `model` with each linear layer's input range calibrated by name on `calibration`.
    public convenience init(model: any Model, calibration: Batch, config: QuantizationConfig = QuantizationConfig()) {
        let copy = model.copy()
        let inputs = Self.layerInputs(of: copy, on: calibration)
        var stages: [Stage] = []
        for (name, dense) in copy.linearLayers {
            if config.keepFP32.contains(name) { stages.append(.fp32(dense)); continue }
            let r = ActivationCalibrator.range(of: inputs[name] ?? [], method: config.calibration, percentile: config.percentile)
            let w = QuantizedWeights.quantize(dense.weight.value, perChannel: config.perChannel, symmetric: config.symmetric)
            stages.append(.int8(Int8Linear(name: name, weights: w, bias: dense.bias.value.storage,
                                           input: ActivationQuantization(lo: r.lo, hi: r.hi))))
        }
        self.init(config: config, stages: stages, reference: copy)
    }

    /// Assembles a model from its stages (one per linear layer of `reference`, in order); `reference`
    /// supplies every other block and must not be used by the caller afterwards.
    public init(config: QuantizationConfig, stages: [Stage], reference: any Model) {
        let linear = reference.linearLayers
        precondition(stages.count == linear.count && zip(stages, linear).allSatisfy { $0.name == $1.name },
                     "QuantizedModel: stages \(stages.map(\.name)) do not match the linear layers \(linear.map(\.name))")
        architecture = reference.architecture; self.config = config; self.stages = stages; base = reference
        let runners: [Int8Runner?] = stages.map { s in
            if case .int8(let l) = s { Int8Runner(l, kernel: .best, threads: config.threads) } else { nil }
        }
        for ((_, dense), runner) in zip(linear, runners) { dense.substitute = runner }
        self.runners = runners
        chain = Self.chainBlocks(reference, linear: linear.map(\.layer))
    }

    /// The blocks between the linear layers of a chain that starts with a linear layer; nil otherwise.
    private static func chainBlocks(_ model: any Model, linear: [Dense]) -> (post: [[Layer]], fusedReLU: [Bool])? {
        guard let layers = model.sequentialLayers, let first = layers.first as? Dense, first === linear.first else { return nil }
        var post: [[Layer]] = []
        var index = 0
        for layer in layers {
            if let d = layer as? Dense {
                guard index < linear.count, d === linear[index] else { return nil }
                index += 1
                post.append([])
                continue
            }
            if layer is Dropout { continue }
            post[post.count - 1].append(layer)
        }
        guard index == linear.count else { return nil }
        return (post, post.map { $0.count == 1 && $0[0] is ReLU })
    }

    /// The input of every linear layer of `model` (fp32, eval mode) on `batch`, flattened row-major, by layer
    /// name. Runs on a copy.
    public static func layerInputs(of model: any Model, on batch: Batch) -> [String: [Float]] {
        let copy = model.copy()
        var out: [String: [Float]] = [:]
        for (name, dense) in copy.linearLayers {
            dense.substitute = nil
            dense.inputObserver = { out[name] = $0.storage }
        }
        _ = copy.forward(batch, training: false)
        for (_, dense) in copy.linearLayers { dense.inputObserver = nil }
        return out
    }

    public var outputCount: Int { architecture.outputs }

    /// Stored size of the weights and biases in bytes (int8 codes + fp32 scales, zero-points, biases; fp32 layers at 4 bytes).
    public var storedBytes: Int {
        stages.reduce(0) { total, s in
            switch s {
            case .int8(let l): total + l.inputs * l.outputs + l.outputs * 12 + 16
            case .fp32(let d): total + (d.weight.count + d.bias.count) * 4
            }
        }
    }

    /// An fp32 model whose int8 layers hold the dequantized ŵ (everything else unchanged, no masks).
    public func dequantizedModel() -> any Model {
        let m = base.copy()
        for p in m.parameters { p.mask = nil }
        for ((_, dense), stage) in zip(m.linearLayers, stages) {
            guard case .int8(let l) = stage else { continue }
            dense.weight.value = l.weights.dequantized()
            dense.bias.value = Tensor(shape: [l.outputs], storage: l.bias)
        }
        return m
    }

    // MARK: - Inference

    /// Logits [batch, outputs] on the int8 path.
    public func predict(_ batch: Batch) -> Tensor {
        guard let chain else { return base.predict(batch) }
        let x = batch.featureMatrix(for: "QuantizedModel")
        let inputs = base.architecture.featureCount ?? x.cols
        precondition(x.rank == 2 && x.cols == inputs, "QuantizedModel: input \(x.shape) does not have \(inputs) features")
        let m = x.rows
        for r in runners { r?.prepare(rows: m) }
        var h = x
        var codesReady = false
        let last = stages.count - 1
        for (l, stage) in stages.enumerated() {
            var postApplied = false
            switch stage {
            case .fp32(let dense):
                h = dense.forward(h, training: false)
                codesReady = false
            case .int8:
                let runner = runners[l]!
                if !codesReady { runner.quantizeInput(h) }
                let relu = l < last && chain.fusedReLU[l]
                if relu, let next = runners[l + 1] {
                    runner.multiplyRequantize(into: next)
                    codesReady = true
                    continue
                }
                runner.multiply()
                h = runner.dequantize(relu: relu)
                codesReady = false
                postApplied = relu
            }
            if l < last && !postApplied { for p in chain.post[l] { h = p.forward(h, training: false) } }
        }
        h.withUnsafeMutableBufferPointer { _ in }   // own the result (fp32 last layers return their buffer)
        return h
    }
}
