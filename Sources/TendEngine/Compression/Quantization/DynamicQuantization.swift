import Foundation
import TendTensor

/// What went wrong quantizing or loading a model's dynamic int8 layers; each names the pattern, tensor or key at fault.
public enum DynamicQuantizationError: Error, Equatable, CustomStringConvertible {
    /// A `--keep-fp32` pattern matched no linear layer.
    case patternMatchesNothing(pattern: String, example: String)
    /// A stored tensor is missing, of the wrong type or shape, or quantized from other weights.
    case tensor(name: String, problem: String)
    /// A metadata key is missing or unreadable.
    case metadata(key: String, problem: String)

    public var description: String {
        switch self {
        case .patternMatchesNothing(let p, let example):
            "pattern \"\(p)\" matches no linear layer (names look like \"\(example)\"; * matches any run of characters, a pattern without * matches names containing it)"
        case .tensor(let name, let problem): "tensor \"\(name)\": \(problem)"
        case .metadata(let key, let problem): "metadata \"\(key)\": \(problem)"
        }
    }
}

/// One row of the dynamic int8 error table: the layer's weights (int8 per channel), its inputs (per-row
/// 7-bit codes) and its outputs (int8 product vs fp32) on the calibration texts' fp32 inputs.
public struct DynamicLayerError: Sendable, Codable, Equatable {
    public var name: String
    /// [outputs, inputs]
    public var shape: [Int]
    /// "int8", or "fp32" when kept (the figures then say what int8 would do).
    public var precision: String
    public var weight: QuantizationError
    public var activation: QuantizationError
    public var output: QuantizationError
    /// Input rows (tokens) measured.
    public var rows: Int
}

/// Dynamic int8 quantization of every linear layer of a `DynamicInt8Quantizable` model (PyTorch's
/// `quantize_dynamic` on `Linear`): weights per output channel symmetric, activations per row at run time.
public enum DynamicQuantization {
    /// Whether `pattern` selects `name`: `*` matches any run of characters (whole name); without `*`, any name containing it.
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        guard pattern.contains("*") else { return name.contains(pattern) }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        var rest = Substring(name)
        for (i, part) in parts.enumerated() {
            if i == 0 { guard rest.hasPrefix(part) else { return false }; rest = rest.dropFirst(part.count); continue }
            if i == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.isEmpty
    }

    /// The names in `names` some pattern selects; throws for a pattern that selects none.
    public static func selected(by patterns: [String], in names: [String]) throws(DynamicQuantizationError) -> Set<String> {
        var out = Set<String>()
        for p in patterns {
            let hit = names.filter { matches(p, $0) }
            if hit.isEmpty { throw .patternMatchesNothing(pattern: p, example: names.first ?? "") }
            out.formUnion(hit)
        }
        return out
    }

    /// The int8 form of every linear layer of `model` not selected by `keepFP32`, in forward order.
    public static func quantize(_ model: some DynamicInt8Quantizable, keepFP32: [String] = [],
                                kernel: Int8Kernel = .best) throws(DynamicQuantizationError) -> [QuantizedLinear] {
        let linears = model.dynamicLinears
        let keep = try selected(by: keepFP32, in: linears.map(\.name))
        return linears.filter { !keep.contains($0.name) }.map { QuantizedLinear(name: $0.name, weight: $0.weight(), bias: $0.bias, kernel: kernel) }
    }

    /// A copy of `model` running `layers` on int8.
    public static func quantizedCopy<M: DynamicInt8Quantizable>(of model: M, layers: [QuantizedLinear]) -> M {
        let copy = model.copy()
        copy.installInt8(layers)
        return copy
    }

    /// The error table of every linear layer of `model` on `calibration` (token batches): each layer's fp32
    /// input (recorded on an fp32 forward, at most `rowLimit` rows per layer) is quantized per row; the
    /// output compares the int8 product (with bias) against the fp32 one. `kept` names the layers marked fp32.
    public static func errorTable(_ model: some DynamicInt8Quantizable, calibration: [Batch], kept: Set<String> = [],
                                  rowLimit: Int = 2048) -> [DynamicLayerError] {
        let linears = model.dynamicLinears
        let int8 = linears.map { QuantizedLinear(name: $0.name, weight: $0.weight(), bias: $0.bias, kernel: .best) }
        var weights: [String: Tensor] = [:]
        for l in linears { weights[l.name] = l.weight() }
        // The probe runs every product in fp32 (stacked layers part by part) and records its input.
        var inputs: [String: [Float]] = [:], rowCounts: [String: Int] = [:]
        let copy = quantizedCopy(of: model, layers: int8)
        copy.setInt8Probe { layer, rows, x, ldx, y, ldy in
            var column = 0
            for part in layer.parts {
                let w = weights[part]!
                if rowCounts[part, default: 0] < rowLimit {
                    let take = min(rows, rowLimit - rowCounts[part, default: 0])
                    for r in 0..<take { inputs[part, default: []].append(contentsOf: UnsafeBufferPointer(start: x + r * ldx, count: w.cols)) }
                    rowCounts[part, default: 0] += take
                }
                w.withUnsafeBufferPointer { pw in
                    gemm(m: rows, n: w.rows, k: w.cols, x, lda: ldx, pw.baseAddress!, ldb: w.cols, transposeB: true,
                         y + column, ldc: ldy, singleThreaded: true)
                }
                column += w.rows
            }
            return true
        }
        for batch in calibration { _ = copy.forward(batch, training: false) }
        copy.setInt8Probe(nil)
        return zip(linears, int8).map { l, q in
            let w = weights[l.name]!
            let rows = rowCounts[l.name] ?? 0
            let x = Tensor(shape: Shape([rows, l.inputs]), storage: inputs[l.name] ?? [])
            let weightError = QuantizationError.measure(original: w.storage, reconstructed: q.weights.dequantized().storage, clipped: q.weights.clipped)
            let activation = QuantizationError.measure(original: x.storage, reconstructed: QuantizedLinear.fakeQuantizeRows(x).storage)
            var reference = Tensor(shape: Shape([rows, l.outputs]))
            if rows > 0 {
                broadcastRows(Tensor(shape: Shape([l.outputs]), storage: l.bias), into: &reference)
                gemm(x, w, into: &reference, transposeB: true, beta: 1)
            }
            let output = QuantizationError.measure(original: reference.storage, reconstructed: rows > 0 ? q.forward(x).storage : [])
            return DynamicLayerError(name: l.name, shape: [l.outputs, l.inputs], precision: kept.contains(l.name) ? "fp32" : "int8",
                                     weight: weightError, activation: activation, output: output, rows: rows)
        }
    }
}
