import TendTensor

/// Per-layer quantization error: weights (int8 as configured, and an int4 per-group what-if) and the
/// layer's input activations on the calibration data. `precision` is "int8" or "fp32" (kept).
public struct LayerQuantizationReport: Sendable, Codable, Equatable {
    public var name: String
    public var shape: [Int]
    public var precision: String
    public var weight: QuantizationError
    public var activation: QuantizationError?
    public var inputRange: [Float]?
    public var inputScale: Float?
    public var inputZeroPoint: Int32?
    public var int4Weight: QuantizationError
}

/// End-to-end figures of one model on the validation rows.
public struct EndToEnd: Sendable, Codable, Equatable {
    public var accuracy: Double
    public var loss: Double
}

/// What quantization did to a model: per-layer errors, sizes, and (with validation data) accuracy and
/// loss before/after plus the share of rows whose argmax is unchanged.
public struct QuantizationReport: Sendable, Codable, Equatable {
    public var config: QuantizationConfig
    public var kernel: String
    public var layers: [LayerQuantizationReport]
    public var fp32Bytes: Int
    public var int8Bytes: Int
    public var int4GroupSize: Int
    public var validationRows: Int
    public var fp32: EndToEnd?
    public var int8: EndToEnd?
    public var int4WhatIf: EndToEnd?
    public var argmaxAgreement: Double?

    /// Builds the report of `quantized` against the original `model`.
    public static func build(model: any Model, quantized: QuantizedModel, calibration: Tensor, validation: Dataset?,
                             int4GroupSize: Int = 32) -> QuantizationReport {
        let inputs = QuantizedModel.layerInputs(of: model, on: .features(calibration))
        var layers: [LayerQuantizationReport] = []
        let linear = model.linearLayers
        for (l, (name, dense)) in linear.enumerated() {
            let w = dense.weight.value
            let int4 = QuantizationError.measure(original: w.storage,
                                                 reconstructed: Int4WhatIf.fakeQuantize(w, groupSize: int4GroupSize).storage)
            switch quantized.stages[l] {
            case .fp32(let d):
                layers.append(LayerQuantizationReport(
                    name: quantized.stages[l].name, shape: d.weight.value.shape.dims, precision: "fp32",
                    weight: .measure(original: w.storage, reconstructed: w.storage), activation: nil,
                    inputRange: nil, inputScale: nil, inputZeroPoint: nil, int4Weight: int4))
            case .int8(let lin):
                let wq = QuantizationError.measure(original: w.storage, reconstructed: lin.weights.dequantized().storage,
                                                   clipped: lin.weights.clipped)
                let a = inputs[name] ?? []
                let range = lin.input.representable
                var clipped = 0
                let recon = a.map { v -> Float in
                    if v < range.lowerBound || v > range.upperBound { clipped += 1 }
                    return lin.input.fakeQuantize(v)
                }
                layers.append(LayerQuantizationReport(
                    name: lin.name, shape: [lin.outputs, lin.inputs], precision: "int8", weight: wq,
                    activation: .measure(original: a, reconstructed: recon, clipped: clipped),
                    inputRange: [lin.input.lo, lin.input.hi], inputScale: lin.input.scale,
                    inputZeroPoint: lin.input.zeroPoint, int4Weight: int4))
            }
        }
        var report = QuantizationReport(config: quantized.config, kernel: quantized.kernel.description, layers: layers,
                                        fp32Bytes: linear.reduce(0) { $0 + ($1.layer.weight.count + $1.layer.bias.count) * 4 },
                                        int8Bytes: quantized.storedBytes, int4GroupSize: int4GroupSize,
                                        validationRows: validation?.count ?? 0)
        if let validation, validation.count > 0 {
            let f = evaluate(model, on: validation)
            let q = evaluate(quantized, on: validation)
            let int4Model = model.copy()
            for (_, d) in int4Model.linearLayers { d.weight.value = Int4WhatIf.fakeQuantize(d.weight.value, groupSize: int4GroupSize) }
            let i4 = evaluate(int4Model, on: validation)
            report.fp32 = EndToEnd(accuracy: f.report.accuracy, loss: f.loss)
            report.int8 = EndToEnd(accuracy: q.report.accuracy, loss: q.loss)
            report.int4WhatIf = EndToEnd(accuracy: i4.report.accuracy, loss: i4.loss)
            report.argmaxAgreement = Double(zip(f.predictions, q.predictions).filter { $0 == $1 }.count) / Double(validation.count)
        }
        return report
    }

    init(config: QuantizationConfig, kernel: String, layers: [LayerQuantizationReport], fp32Bytes: Int, int8Bytes: Int,
         int4GroupSize: Int, validationRows: Int) {
        self.config = config; self.kernel = kernel; self.layers = layers; self.fp32Bytes = fp32Bytes
        self.int8Bytes = int8Bytes; self.int4GroupSize = int4GroupSize; self.validationRows = validationRows
    }
}
