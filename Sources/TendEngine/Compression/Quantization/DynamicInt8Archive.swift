import Foundation
import TendTensor

/// File layout of a model's dynamic int8 layers (`tend quantize --model DIR`), read together with the fp32
/// model they came from (which supplies embeddings, LayerNorms and kept layers). Per int8 linear layer
/// `NAME`: `NAME.weight` I8 [out, in] (symmetric codes), `NAME.weight_scale` F32 [out], `NAME.weight_zero_point`
/// F32 [out] (all 0), `NAME.bias` F32 [out]. Metadata: `tend.quant.format` = `tend-int8-dynamic/1`,
/// `tend.quant.recipe` (JSON), `tend.quant.layers` (`NAME:int8|fp32,…` in forward order), `tend.quant.model`.
public enum DynamicInt8Archive {
    public static let formatValue = "tend-int8-dynamic/1"
    public static let recipeKey = "tend.quant.recipe"
    public static let modelKey = "tend.quant.model"

    /// The recipe stored in the metadata.
    public struct Recipe: Sendable, Codable, Equatable {
        public var weights = "int8 per output channel, symmetric [-127,127]; w = weight_scale * q (weight_zero_point 0)"
        public var activations = "u7 [0,127] per row (token) at run time: range [min, max] widened to contain 0, scale = range/127, zero_point = rint(-min/scale)"
        public var accumulation = "int32; y = (acc - zero_point * sum_k q[n][k]) * row_scale * weight_scale[n] + bias[n]"
        public var rounding = "half-to-even"
        public var fp32 = "attention scores and context, softmax, LayerNorm, GELU, embeddings"
        /// The --keep-fp32 patterns given.
        public var keepFP32: [String]
        public var int8Layers: Int
        public var fp32Layers: Int
        public init(keepFP32: [String], int8Layers: Int, fp32Layers: Int) {
            self.keepFP32 = keepFP32; self.int8Layers = int8Layers; self.fp32Layers = fp32Layers
        }
    }

    /// The tensors of `layers` (int8 forms) in forward order.
    public static func records(of layers: [QuantizedLinear]) -> [QuantizedTensorRecord] {
        layers.flatMap { l -> [QuantizedTensorRecord] in
            let n = l.outputs
            return [.init(name: l.name + ".weight", shape: [n, l.inputs], payload: .int8(l.weights.codes)),
                    .init(name: l.name + ".weight_scale", shape: [n], payload: .float(l.weights.scales)),
                    .init(name: l.name + ".weight_zero_point", shape: [n], payload: .float([Float](repeating: 0, count: n))),
                    .init(name: l.name + ".bias", shape: [n], payload: .float(l.bias))]
        }
    }

    /// The metadata describing `layers` of `model` quantized with `keepFP32`; `extra` (e.g. the source) is merged in.
    public static func metadata(model: some DynamicInt8Quantizable, layers: [QuantizedLinear], keepFP32: [String],
                                extra: [String: String] = [:]) -> [String: String] {
        let int8 = Set(layers.map(\.name))
        let names = model.dynamicLinears.map(\.name)
        let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
        let recipe = Recipe(keepFP32: keepFP32, int8Layers: int8.count, fp32Layers: names.count - int8.count)
        var meta = extra
        meta[QuantizedArchive.format] = formatValue
        meta[recipeKey] = String(decoding: (try? enc.encode(recipe)) ?? Data(), as: UTF8.self)
        meta[QuantizedArchive.layersKey] = names.map { "\($0):\(int8.contains($0) ? "int8" : "fp32")" }.joined(separator: ",")
        meta[modelKey] = model.architecture.summary
        return meta
    }

    /// The int8 layers stored in `records` for `model`, checked against it: every int8 tensor must name a linear
    /// layer of `model` with its shape, and its codes must come from `model`'s weights (cosine ≥ 0.98 between
    /// the dequantized and the fp32 weight), so a file written for another model is refused naming the tensor.
    public static func layers(records: [String: QuantizedTensorRecord], metadata: [String: String],
                              for model: some DynamicInt8Quantizable, kernel: Int8Kernel = .best) throws(DynamicQuantizationError) -> [QuantizedLinear] {
        guard metadata[QuantizedArchive.format] == formatValue else {
            throw .metadata(key: QuantizedArchive.format, problem: "is \(metadata[QuantizedArchive.format].map { "\"\($0)\"" } ?? "missing"), expected \"\(formatValue)\" (written by tend quantize --model DIR)")
        }
        let linears = Dictionary(uniqueKeysWithValues: model.dynamicLinears.map { ($0.name, $0) })
        func floats(_ name: String, _ count: Int) throws(DynamicQuantizationError) -> [Float] {
            guard let r = records[name] else { throw .tensor(name: name, problem: "is missing") }
            guard case .float(let v) = r.payload else { throw .tensor(name: name, problem: "must be F32") }
            guard r.shape == [count] else { throw .tensor(name: name, problem: "has shape \(r.shape), the model needs [\(count)]") }
            return v
        }
        var out: [QuantizedLinear] = []
        let other = "the file was written for another model (\(metadata[modelKey] ?? "unnamed"); this one is \(model.architecture.summary))"
        for l in model.dynamicLinears {
            let wName = l.name + ".weight"
            guard let w = records[wName] else { continue }
            guard case .int8(let codes) = w.payload else { throw .tensor(name: wName, problem: "must be I8") }
            guard w.shape == [l.outputs, l.inputs] else {
                throw .tensor(name: wName, problem: "has shape \(w.shape), the model's layer is [\(l.outputs), \(l.inputs)]: \(other)")
            }
            let scales = try floats(l.name + ".weight_scale", l.outputs)
            guard scales.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw .tensor(name: l.name + ".weight_scale", problem: "has a scale that is not positive and finite") }
            let zeros = try floats(l.name + ".weight_zero_point", l.outputs)
            guard zeros.allSatisfy({ $0 == 0 }) else { throw .tensor(name: l.name + ".weight_zero_point", problem: "must be all 0 (symmetric weights)") }
            let bias = try floats(l.name + ".bias", l.outputs)
            let qw = QuantizedWeights(rows: l.outputs, cols: l.inputs, codes: codes, scales: scales,
                                      zeroPoints: [Int32](repeating: 0, count: l.outputs), perChannel: true, symmetric: true)
            let cos = sampledCosine(qw, l.weight())
            guard cos >= 0.98 else {
                throw .tensor(name: wName, problem: String(format: "was quantized from other weights than this model's (cosine %.3f to its fp32 weight): ", cos) + other)
            }
            out.append(QuantizedLinear(name: l.name, weights: qw, bias: bias, kernel: kernel))
        }
        let suffixes = [".weight", ".weight_scale", ".weight_zero_point", ".bias"]
        for r in records.values.sorted(by: { $0.name < $1.name }) {
            guard let s = suffixes.first(where: { r.name.hasSuffix($0) }), linears[String(r.name.dropLast(s.count))] != nil else {
                throw .tensor(name: r.name, problem: "names no linear layer of this model: \(other)")
            }
        }
        guard !out.isEmpty else { throw .tensor(name: (model.dynamicLinears.first?.name ?? "") + ".weight", problem: "is missing: the file holds no int8 layer") }
        return out
    }

    /// Cosine between ŵ and w over at most ~65k evenly strided values.
    static func sampledCosine(_ q: QuantizedWeights, _ w: Tensor) -> Double {
        let count = q.rows * q.cols
        let step = max(1, count / 65_536) | 1   // odd: does not fall on one column
        var dot = 0.0, a = 0.0, b = 0.0
        w.withUnsafeBufferPointer { pw in
            q.codes.withUnsafeBufferPointer { pq in
                var i = 0
                while i < count {
                    let hat = Double(q.scales[i / q.cols]) * Double(pq[i]), v = Double(pw[i])
                    dot += hat * v; a += hat * hat; b += v * v
                    i += step
                }
            }
        }
        return a > 0 && b > 0 ? dot / (a.squareRoot() * b.squareRoot()) : (a == b ? 1 : 0)
    }
}
