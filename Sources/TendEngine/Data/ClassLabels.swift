/// The model's class ↔ label mapping: class index `k` (the model's output `k`) stands for the label
/// `values[k]` of the data file. Training maps the distinct labels of its CSV, sorted, to 0…K−1 (labels
/// {3, 7} become classes 0 and 1) and stores the mapping in the checkpoint (`Checkpoint.Key.classLabels`);
/// checkpoints without it mean the identity (class k is label k).
public struct ClassLabels: Sendable, Equatable {
    /// The label of each class, strictly increasing.
    public let values: [Int]

    /// The distinct values of `labels`, sorted.
    public init(distinctIn labels: [Int]) { values = Array(Set(labels)).sorted() }

    /// `values` as given; nil unless strictly increasing and ≥ 0.
    public init?(values: [Int]) {
        guard values.allSatisfy({ $0 >= 0 }), zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }) else { return nil }
        self.values = values
    }

    /// Class k is label k, for `count` classes (checkpoints written before the mapping was stored).
    public static func identity(_ count: Int) -> ClassLabels { ClassLabels(values: Array(0..<max(count, 0)))! }

    public var count: Int { values.count }
    public var isIdentity: Bool { values.enumerated().allSatisfy { $0.offset == $0.element } }

    /// The class index of data label `label`, nil when the model has no such class.
    public func index(of label: Int) -> Int? {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < label { lo = mid + 1 } else { hi = mid }
        }
        return lo < values.count && values[lo] == label ? lo : nil
    }

    /// The data label of class `index`.
    public func label(of index: Int) -> Int { values[index] }

    /// The metadata text: the labels comma separated ("0,1,2" or "3,7").
    public var metadataText: String { values.map(String.init).joined(separator: ",") }

    /// Reads `metadataText`; nil when malformed.
    public init?(metadataText text: String) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        self.init(values: parts.map { $0! })
    }

    /// The mapping stored in `metadata`, else the identity over `classes` classes (older checkpoints).
    public static func of(_ metadata: [String: String], classes: Int) -> ClassLabels {
        metadata[Checkpoint.Key.classLabels].flatMap { ClassLabels(metadataText: $0) } ?? .identity(classes)
    }

    /// `labels` as class indices; on a label the model does not know, the first offending row instead.
    public func indices(of labels: [Int]) -> Result<[Int], UnknownLabel> {
        if isIdentity { return labels.firstIndex { $0 < 0 || $0 >= count }.map { .failure(UnknownLabel(row: $0, label: labels[$0])) } ?? .success(labels) }
        var out = [Int](); out.reserveCapacity(labels.count)
        for (row, l) in labels.enumerated() {
            guard let k = index(of: l) else { return .failure(UnknownLabel(row: row, label: l)) }
            out.append(k)
        }
        return .success(out)
    }

    /// A data row whose label is none of the model's classes.
    public struct UnknownLabel: Error, Sendable, Equatable { public var row: Int; public var label: Int }
}
