import CInt8
import TendTensor

/// An `MLP` running its Dense layers on the int8 path: 7-bit activation codes × int8 weight codes →
/// int32 (CInt8 kernels, best SIMD variant of this CPU), then a fused epilogue (scale, bias, ReLU)
/// that writes the next layer's codes directly; other blocks (LayerNorm, GELU, …) and layers listed in
/// `QuantizationConfig.keepFP32` run in fp32. Owns scratch buffers: use from one thread at a time.
public final class QuantizedMLP: ServableModel {
    /// One Dense layer on the int8 or the fp32 path.
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

    public let layout: MLPLayout
    public let config: QuantizationConfig
    public let stages: [Stage]
    /// The variant used for products (tests pin others; `Int8Kernel.best` by default).
    public var kernel: Int8Kernel = .best
    /// Layers after each Dense up to the next one (LayerNorm, activation; no dropout).
    private let post: [[Layer]]
    /// Whether the block after stage l is exactly ReLU (fused into the int8 epilogue).
    private let fusedReLU: [Bool]

    private var scratchRows = -1
    private var codes: [[UInt8]] = []
    private var rowSums: [[Int32]] = []
    private var accumulator: [Int32] = []

    /// Quantizes `model` with activation ranges calibrated on `calibration` ([rows, inputs], already
    /// normalised as the model expects).
    public convenience init(model: MLP, calibration: Tensor, config: QuantizationConfig = QuantizationConfig()) {
        precondition(calibration.rank == 2 && calibration.cols == model.layout.inputs && calibration.rows > 0,
                     "QuantizedMLP: calibration data \(calibration.shape) must be [rows > 0, \(model.layout.inputs)]")
        let copy = model.copy()
        let inputs = Self.layerInputs(of: copy, on: calibration)
        var ranges: [ActivationQuantization] = []
        for values in inputs {
            let r = ActivationCalibrator.range(of: values, method: config.calibration, percentile: config.percentile)
            ranges.append(ActivationQuantization(lo: r.lo, hi: r.hi))
        }
        var stages: [Stage] = []
        for (l, dense) in copy.denseLayers.enumerated() {
            let name = String(dense.weight.name.dropLast(".weight".count))
            if config.keepFP32.contains(name) { stages.append(.fp32(dense)); continue }
            let w = QuantizedWeights.quantize(dense.weight.value, perChannel: config.perChannel, symmetric: config.symmetric)
            stages.append(.int8(Int8Linear(name: name, weights: w, bias: dense.bias.value.storage, input: ranges[l])))
        }
        self.init(layout: model.layout, config: config, stages: stages, reference: copy)
    }

    /// Assembles a model from its stages; `reference` supplies the non-Dense layers (LayerNorm
    /// parameters, activations) and must have `layout`.
    public init(layout: MLPLayout, config: QuantizationConfig, stages: [Stage], reference: MLP) {
        precondition(stages.count == layout.sizes.count - 1, "QuantizedMLP: \(stages.count) stages for layout \(layout.sizes)")
        self.layout = layout; self.config = config; self.stages = stages
        var post: [[Layer]] = Array(repeating: [], count: stages.count)
        var index = -1
        for layer in reference.layers {
            if layer is Dense { index += 1; continue }
            if layer is Dropout || index < 0 { continue }
            post[index].append(layer)
        }
        self.post = post
        fusedReLU = post.map { $0.count == 1 && $0[0] is ReLU }
    }

    /// The input of every Dense layer of `model` (fp32, eval mode) on `x`, flattened row-major.
    public static func layerInputs(of model: MLP, on x: Tensor) -> [[Float]] {
        var out: [[Float]] = []
        var h = x
        for layer in model.layers {
            if layer is Dense { out.append(h.storage) }
            h = layer.forward(h, training: false)
        }
        return out
    }

    /// Stored size of the weights and biases in bytes (int8 codes + fp32 scales, zero-points, biases; fp32 layers at 4 bytes).
    public var storedBytes: Int {
        stages.reduce(0) { total, s in
            switch s {
            case .int8(let l): total + l.inputs * l.outputs + l.outputs * 12 + 16
            case .fp32(let d): total + (d.weight.count + d.bias.count) * 4
            }
        }
    }

    /// An fp32 MLP whose Dense weights are the dequantized ŵ (fp32 layers unchanged).
    public func dequantizedMLP() -> MLP {
        let m = MLP(layout: layout, seed: 0)
        var tensors: [String: Tensor] = [:]
        var index = -1
        for layer in m.layers {
            if layer is Dense { index += 1; continue }
            if layer is Dropout { continue }
            for (p, q) in zip(layer.parameters, post[index].flatMap(\.parameters)) { tensors[p.name] = q.value }
        }
        for s in stages {
            switch s {
            case .int8(let l):
                tensors[l.name + ".weight"] = l.weights.dequantized()
                tensors[l.name + ".bias"] = Tensor(shape: [l.outputs], storage: l.bias)
            case .fp32(let d):
                tensors[d.weight.name] = d.weight.value
                tensors[d.bias.name] = d.bias.value
            }
        }
        try! m.load(tensors)
        return m
    }

    // MARK: - Inference

    /// Logits [batch, outputs] for x [batch, inputs] on the int8 path.
    public func predict(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.cols == layout.inputs, "QuantizedMLP: input \(x.shape) does not have \(layout.inputs) features")
        let m = x.rows
        prepareScratch(rows: m)
        var h = x
        var codesReady = false
        let last = stages.count - 1
        for (l, stage) in stages.enumerated() {
            var postApplied = false
            switch stage {
            case .fp32(let dense):
                h = dense.forward(h, training: false)
                codesReady = false
            case .int8(let lin):
                if !codesReady { quantizeInput(h, stage: l, lin) }
                let relu = l < last && fusedReLU[l]
                if relu, case .int8(let next) = stages[l + 1] {
                    multiplyRequantize(stage: l, lin, next: next, rows: m)
                    codesReady = true
                    continue
                }
                multiply(stage: l, lin, rows: m)
                h = dequantize(stage: l, lin, rows: m, relu: relu)
                codesReady = false
                postApplied = relu
            }
            if l < last && !postApplied { for p in post[l] { h = p.forward(h, training: false) } }
        }
        h.withUnsafeMutableBufferPointer { _ in }   // own the result (fp32 last layers return their buffer)
        return h
    }

    private func prepareScratch(rows m: Int) {
        guard m != scratchRows else { return }
        scratchRows = m
        codes = stages.map { s in if case .int8(let l) = s { [UInt8](repeating: 0, count: m * l.stride) } else { [] } }
        rowSums = stages.map { _ in [Int32](repeating: 0, count: m) }
        let widest = stages.map { s in if case .int8(let l) = s { l.outputs } else { 0 } }.max() ?? 0
        accumulator = [Int32](repeating: 0, count: m * widest)
    }

    private func quantizeInput(_ x: Tensor, stage l: Int, _ lin: Int8Linear) {
        let variant = kernel.c
        x.withUnsafeBufferPointer { px in
            codes[l].withUnsafeMutableBufferPointer { q in
                rowSums[l].withUnsafeMutableBufferPointer { rs in
                    cint8_quantize_u7(variant, Int32(x.rows), Int32(lin.inputs), px.baseAddress, Int32(lin.inputs),
                                      1 / lin.input.scale, lin.input.zeroPoint, q.baseAddress, Int32(lin.stride), rs.baseAddress)
                }
            }
        }
    }

    private func multiply(stage l: Int, _ lin: Int8Linear, rows m: Int) {
        codes[l].withUnsafeBufferPointer { a in
            lin.packed.withUnsafeBufferPointer { b in
                accumulator.withUnsafeMutableBufferPointer { c in
                    if kernel == .best && config.threads > 1 {
                        Int8Kernel.parallelGEMM(m: m, n: lin.outputs, k: lin.inputs, a: a.baseAddress!, lda: lin.stride,
                                                packed: b.baseAddress!, c: c.baseAddress!, ldc: lin.outputs, threads: config.threads)
                    } else {
                        kernel.gemm(m: m, n: lin.outputs, k: lin.inputs, a: a.baseAddress!, lda: lin.stride,
                                    packed: b.baseAddress!, c: c.baseAddress!, ldc: lin.outputs)
                    }
                }
            }
        }
    }

    /// Calls `body` with the epilogue constants of `lin` (pointers valid only inside).
    private func withEpilogue<R>(_ lin: Int8Linear, _ body: (cint8_epilogue) -> R) -> R {
        lin.colOffset.withUnsafeBufferPointer { off in
            lin.colScale.withUnsafeBufferPointer { sc in
                lin.bias.withUnsafeBufferPointer { b in
                    if let wz = lin.weightZero {
                        return wz.withUnsafeBufferPointer { z in
                            body(cint8_epilogue(col_offset: off.baseAddress, weight_zero: z.baseAddress,
                                                col_scale: sc.baseAddress, bias: b.baseAddress))
                        }
                    }
                    return body(cint8_epilogue(col_offset: off.baseAddress, weight_zero: nil,
                                               col_scale: sc.baseAddress, bias: b.baseAddress))
                }
            }
        }
    }

    /// Product and requantization to the next layer's codes in one threaded pass (each thread runs the
    /// epilogue on its own block of outputs while it is still in cache).
    private func multiplyRequantize(stage l: Int, _ lin: Int8Linear, next: Int8Linear, rows m: Int) {
        let variant = kernel.c
        let threads = Int32(max(1, config.threads))
        withEpilogue(lin) { e in
            codes[l].withUnsafeBufferPointer { a in
                lin.packed.withUnsafeBufferPointer { b in
                    accumulator.withUnsafeMutableBufferPointer { c in
                        rowSums[l].withUnsafeBufferPointer { rs in
                            codes[l + 1].withUnsafeMutableBufferPointer { q in
                                rowSums[l + 1].withUnsafeMutableBufferPointer { qrs in
                                    cint8_gemm_requantize_u7(variant, Int32(m), Int32(lin.outputs), Int32(lin.inputs),
                                                             a.baseAddress, Int32(lin.stride), b.baseAddress,
                                                             c.baseAddress, Int32(lin.outputs), rs.baseAddress, e, 1,
                                                             1 / next.input.scale, next.input.zeroPoint,
                                                             q.baseAddress, Int32(next.stride), qrs.baseAddress, threads)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func dequantize(stage l: Int, _ lin: Int8Linear, rows m: Int, relu: Bool) -> Tensor {
        var y = Tensor(shape: [m, lin.outputs])
        let variant = kernel.c
        withEpilogue(lin) { e in
            accumulator.withUnsafeBufferPointer { c in
                rowSums[l].withUnsafeBufferPointer { rs in
                    y.withUnsafeMutableBufferPointer { out in
                        cint8_dequantize(variant, Int32(m), Int32(lin.outputs), c.baseAddress, Int32(lin.outputs), rs.baseAddress,
                                         e, relu ? 1 : 0, out.baseAddress, Int32(lin.outputs))
                    }
                }
            }
        }
        return y
    }
}
