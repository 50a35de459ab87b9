import Foundation
import TendEngine
import TendInterop

/// The `tend.pruning` metadata note of a pruned checkpoint: its source, the spec, the neurons removed.
public struct PruningNote: Encodable {
    public var source: String
    public var spec: PruningSpec?
    public var structured_removed: [[Int]]?
    public init(source: String, spec: PruningSpec?, structured_removed: [[Int]]?) {
        self.source = source; self.spec = spec; self.structured_removed = structured_removed
    }
}

/// `v` as compact JSON with sorted keys (checkpoint metadata values); empty when it cannot be encoded.
public func jsonString<T: Encodable>(_ v: T) -> String {
    let enc = JSONEncoder(); enc.outputFormatting = [.sortedKeys]
    return String(decoding: (try? enc.encode(v)) ?? Data(), as: UTF8.self)
}

/// The `--json` object of `tend prune`.
public struct PruneResult: Encodable {
    struct Layer: Encodable {
        var name: String, shape: [Int], parameters: Int, kept: Int, sparsity: Double, pruned_by_spec: Bool
        var scheme: String, dense_bytes: Int, stored_bytes: Int
    }
    var model: String, out: String
    var method: String
    var layers: [Layer]
    var sparsity: Double
    var model_sparsity: Double
    var parameters_before: Int, parameters: Int, parameters_kept: Int
    var layout_before: [Int], layout_after: [Int]
    var dense_bytes: Int, stored_bytes: Int, compression: Double
    var file_bytes: Int?
    var data: String?
    var accuracy_before: Double?, accuracy_after: Double?, loss_before: Double?, loss_after: Double?

    public init(model: String, out: String, spec: PruningSpec?, summary: PruningSummary, stats: [SparseTensorStat],
         layoutBefore: [Int], layoutAfter: [Int], parametersBefore: Int, data: String?, before: Evaluation?, after: Evaluation?) {
        self.model = model; self.out = out
        var parts: [String] = []
        if layoutBefore != layoutAfter { parts.append("structured") }
        if let spec { parts.append("\(spec.scope.rawValue) \(spec.target)" + (spec.includeBiases ? " incl. biases" : "")) }
        method = parts.joined(separator: " + ")
        layers = zip(summary.parameters, stats).map { p, s in
            Layer(name: p.name, shape: p.shape, parameters: p.count, kept: p.kept, sparsity: p.sparsity, pruned_by_spec: p.eligible,
                  scheme: s.scheme.rawValue, dense_bytes: s.denseBytes, stored_bytes: s.storedBytes)
        }
        sparsity = summary.sparsity; model_sparsity = summary.modelSparsity
        parameters_before = parametersBefore; parameters = summary.parameterCount; parameters_kept = summary.parametersKept
        layout_before = layoutBefore; layout_after = layoutAfter
        dense_bytes = 4 * parametersBefore
        stored_bytes = stats.reduce(0) { $0 + $1.storedBytes }
        compression = stored_bytes > 0 ? Double(dense_bytes) / Double(stored_bytes) : 0
        file_bytes = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? nil
        self.data = data
        accuracy_before = before?.report.accuracy; accuracy_after = after?.report.accuracy
        loss_before = before?.loss; loss_after = after?.loss
    }

    /// The human table on stderr.
    public func print() {
        Output.info("pruned \(model) (\(method)) -> \(out)")
        func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - text.count))
            return right ? fill + text : text + fill
        }
        Output.info(pad("tensor", 12) + " " + pad("shape", 10) + pad("params", 10, right: true) + pad("kept", 10, right: true)
                    + pad("sparsity", 10, right: true) + "  " + pad("scheme", 7) + pad("dense B", 11, right: true) + pad("stored B", 11, right: true))
        for l in layers {
            Output.info(pad(l.name, 12) + " " + pad(l.shape.map(String.init).joined(separator: "x"), 10)
                        + pad(String(l.parameters), 10, right: true) + pad(String(l.kept), 10, right: true)
                        + pad(String(format: "%.2f%%", l.sparsity * 100), 10, right: true) + "  " + pad(l.scheme, 7)
                        + pad(String(l.dense_bytes), 11, right: true) + pad(String(l.stored_bytes), 11, right: true))
        }
        Output.info(String(format: "sparsity %.2f%% of pruned tensors, %.2f%% of all parameters; %d of %d parameters kept",
                           sparsity * 100, model_sparsity * 100, parameters_kept, parameters))
        Output.info(String(format: "bytes: dense %d (original model), stored %d (%.2fx smaller)%@", dense_bytes, stored_bytes, compression,
                           (file_bytes.map { ", file \($0) with header" } ?? "") as NSString))
        if let a = accuracy_before, let b = accuracy_after, let la = loss_before, let lb = loss_after {
            Output.info(String(format: "accuracy on %@: %.4f -> %.4f (%+.4f); loss %.4f -> %.4f", (data ?? "") as NSString, a, b, b - a, la, lb))
        }
    }
}
