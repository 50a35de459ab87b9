import TendTensor

/// A CSV table split into a float feature matrix and an integer label per row.
/// Invariant: `features.shape == [labels.count, featureNames.count]`.
public struct LabeledTable: Sendable, Equatable {
    public var path: String
    /// Features, `[rows, featureNames.count]`, in header order without the label column.
    public var features: Tensor
    public var labels: [Int]
    public var featureNames: [String]
    /// The name of the column the labels came from.
    public var labelColumn: String

    public init(path: String, features: Tensor, labels: [Int], featureNames: [String], labelColumn: String) {
        precondition(features.rank == 2 && features.shape[0] == labels.count && features.shape[1] == featureNames.count,
                     "LabeledTable: features \(features.shape) do not match \(labels.count) labels × \(featureNames.count) names")
        self.path = path; self.features = features; self.labels = labels
        self.featureNames = featureNames; self.labelColumn = labelColumn
    }

    public var rows: Int { labels.count }
    /// Distinct label values, ascending.
    public var classes: [Int] { Array(Set(labels)).sorted() }
}

extension CSVTable {
    /// Splits off the column named `label` as integer labels; every other column becomes a Float feature.
    /// Labels must be integers in 0..<`maxClasses` (`--max-classes`). Throws `CSVError.labelNotFound` (listing
    /// the columns), `.labelNotInteger`, `.labelNegative` or `.labelAboveMaxClasses` (naming line and value).
    public func labeled(label: String, maxClasses: Int = LabelValidation.defaultMaxClasses) throws -> LabeledTable {
        guard let li = header.firstIndex(of: label) else {
            throw CSVError.labelNotFound(path: path, label: label, columns: header)
        }
        guard columns > 1 else { throw CSVError.noFeatureColumns(path: path, label: label) }
        let fcols = columns - 1
        var labels = [Int](repeating: 0, count: rows)
        var feats = [Float](repeating: 0, count: rows * fcols)
        try values.withUnsafeBufferPointer { v in
            try feats.withUnsafeMutableBufferPointer { f in
                for r in 0..<rows {
                    let row = r * columns
                    labels[r] = try LabelValidation.label(value: v[row + li], path: path, line: line(ofRow: r),
                                                          column: label, maxClasses: maxClasses)
                    var o = r * fcols
                    for c in 0..<columns where c != li {
                        f[o] = Float(v[row + c]); o += 1
                    }
                }
            }
        }
        var names = header
        names.remove(at: li)
        return LabeledTable(path: path, features: Tensor(shape: [rows, fcols], storage: feats),
                            labels: labels, featureNames: names, labelColumn: label)
    }
}
