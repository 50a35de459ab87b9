import Foundation
import TendTensor

/// One stored tensor of a quantized model: int8 codes or fp32 values, row-major.
public struct QuantizedTensorRecord: Sendable, Equatable {
    public enum Payload: Sendable, Equatable { case int8([Int8]), float([Float]) }
    public var name: String
    public var shape: [Int]
    public var payload: Payload
    public init(name: String, shape: [Int], payload: Payload) { self.name = name; self.shape = shape; self.payload = payload }
}

/// A stored quantized model that cannot be rebuilt; names the tensor or metadata key at fault.
public struct QuantizedArchiveError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// File layout of a quantized model (`.int8.safetensors`), in model parameter order. Per int8 linear layer `fcK`: `fcK.weight` I8 [out, in],
/// `fcK.weight_scale` / `fcK.weight_zero_point` F32 [out], `fcK.bias` F32 [out], `fcK.input_range` F32 [2]
/// (calibrated lo, hi; scale and zero-point are recomputed from it), `fcK.input_scale` /
/// `fcK.input_zero_point` F32 [1] (informative). fp32 layers and LayerNorms keep their F32 tensors.
/// Metadata `tend.quant.*` describes the scheme.
public enum QuantizedArchive {
    public static let format = "tend.quant.format"
    public static let formatValue = "tend-int8/1"
    public static let configKey = "tend.quant.config"
    public static let layersKey = "tend.quant.layers"
    public static let weightsKey = "tend.quant.weights"
    public static let activationsKey = "tend.quant.activations"
    public static let roundingKey = "tend.quant.rounding"

    /// The tensors to write, in model order.
    public static func records(of q: QuantizedModel) -> [QuantizedTensorRecord] {
        var out: [QuantizedTensorRecord] = []
        let reference = q.dequantizedModel()
        var int8: [String: Int8Linear] = [:]
        for s in q.stages { if case .int8(let l) = s { int8[l.name + ".weight"] = l; int8[l.name + ".bias"] = l } }
        for p in reference.parameters {
            if let l = int8[p.name] {
                if p.name.hasSuffix(".weight") {
                    let n = l.outputs
                    out.append(.init(name: l.name + ".weight", shape: [n, l.inputs], payload: .int8(l.weights.codes)))
                    out.append(.init(name: l.name + ".weight_scale", shape: [n], payload: .float(l.weights.scales)))
                    out.append(.init(name: l.name + ".weight_zero_point", shape: [n], payload: .float(l.weights.zeroPoints.map(Float.init))))
                    out.append(.init(name: l.name + ".bias", shape: [n], payload: .float(l.bias)))
                    out.append(.init(name: l.name + ".input_range", shape: [2], payload: .float([l.input.lo, l.input.hi])))
                    out.append(.init(name: l.name + ".input_scale", shape: [1], payload: .float([l.input.scale])))
                    out.append(.init(name: l.name + ".input_zero_point", shape: [1], payload: .float([Float(l.input.zeroPoint)])))
                }
                continue
            }
            out.append(.init(name: p.name, shape: p.value.shape.dims, payload: .float(p.value.storage)))
        }
        return out
    }

    /// `tend.quant.*` metadata describing the scheme of `q`.
    public static func metadata(of q: QuantizedModel) -> [String: String] {
        let c = q.config
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        return [
            format: formatValue,
            configKey: String(decoding: (try? enc.encode(c)) ?? Data(), as: UTF8.self),
            layersKey: q.stages.map { s in if case .int8 = s { "\(s.name):int8" } else { "\(s.name):fp32" } }.joined(separator: ","),
            weightsKey: "int8 \(c.perChannel ? "per-channel" : "per-tensor") \(c.symmetric ? "symmetric [-127,127]" : "affine [-128,127]"); w = scale*(q - zero_point)",
            activationsKey: "u7 [0,127] affine per tensor, calibration \(c.calibration.rawValue)\(c.calibration == .percentile ? " \(c.percentile)" : ""); x = scale*(q - zero_point)",
            roundingKey: "half-to-even",
        ]
    }

    /// `model(architecture: .mlp(layout), …)`.
    public static func model(layout: MLPLayout, records: [String: QuantizedTensorRecord], metadata: [String: String]) throws -> QuantizedModel {
        try model(architecture: .mlp(layout), records: records, metadata: metadata)
    }

    /// Rebuilds a quantized model of `architecture` from stored tensors and `metadata`.
    public static func model(architecture: Architecture, records: [String: QuantizedTensorRecord],
                             metadata: [String: String]) throws -> QuantizedModel {
        guard metadata[format] == formatValue else {
            throw QuantizedArchiveError("metadata \"\(format)\" is \(metadata[format].map { "\"\($0)\"" } ?? "missing"), expected \"\(formatValue)\"")
        }
        var config = QuantizationConfig()
        if let text = metadata[configKey] {
            do { config = try JSONDecoder().decode(QuantizationConfig.self, from: Data(text.utf8)) }
            catch { throw QuantizedArchiveError("metadata \"\(configKey)\" is unreadable: \(text.prefix(80))") }
        }
        func floats(_ name: String, count: Int? = nil) throws -> [Float] {
            guard let r = records[name] else { throw QuantizedArchiveError("tensor \"\(name)\" is missing") }
            guard case .float(let v) = r.payload else { throw QuantizedArchiveError("tensor \"\(name)\" must be F32") }
            if let count, v.count != count { throw QuantizedArchiveError("tensor \"\(name)\" has \(v.count) values, expected \(count)") }
            return v
        }
        let reference: any Model
        do { reference = try architecture.makeModel(seed: 0) } catch { throw QuantizedArchiveError("architecture \(architecture.summary): \(error)") }
        var tensors: [String: Tensor] = [:]
        var int8: [Int: Int8Linear] = [:]
        for (k, (name, dense)) in reference.linearLayers.enumerated() {
            guard let w = records[dense.weight.name] else { throw QuantizedArchiveError("tensor \"\(dense.weight.name)\" is missing") }
            guard w.shape == [dense.outputs, dense.inputs] else {
                throw QuantizedArchiveError("tensor \"\(w.name)\" has shape \(w.shape), the layout needs [\(dense.outputs), \(dense.inputs)]")
            }
            let bias = try floats(name + ".bias", count: dense.outputs)
            tensors[dense.bias.name] = Tensor(shape: [dense.outputs], storage: bias)
            switch w.payload {
            case .float(let v):
                tensors[dense.weight.name] = Tensor(shape: [dense.outputs, dense.inputs], storage: v)
            case .int8(let codes):
                let scales = try floats(name + ".weight_scale", count: dense.outputs)
                let zeros = try floats(name + ".weight_zero_point", count: dense.outputs)
                let range = try floats(name + ".input_range", count: 2)
                guard scales.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw QuantizedArchiveError("tensor \"\(name).weight_scale\" has a non-positive scale") }
                let qw = QuantizedWeights(rows: dense.outputs, cols: dense.inputs, codes: codes, scales: scales,
                                          zeroPoints: zeros.map { Int32($0) }, perChannel: config.perChannel, symmetric: config.symmetric)
                let lin = Int8Linear(name: name, weights: qw, bias: bias, input: ActivationQuantization(lo: range[0], hi: range[1]))
                int8[k] = lin
                tensors[dense.weight.name] = qw.dequantized()
            }
        }
        for p in reference.parameters where tensors[p.name] == nil {
            tensors[p.name] = Tensor(shape: p.value.shape, storage: try floats(p.name, count: p.count))
        }
        do { try reference.load(tensors) } catch { throw QuantizedArchiveError("\(error)") }
        let stages: [QuantizedModel.Stage] = reference.linearLayers.enumerated().map { k, l in int8[k].map { .int8($0) } ?? .fp32(l.layer) }
        return QuantizedModel(config: config, stages: stages, reference: reference)
    }
}
