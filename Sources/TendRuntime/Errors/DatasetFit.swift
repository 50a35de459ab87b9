import TendEngine

extension Dataset {
    /// The rows with their labels turned into the model's class indices through `classLabels` (the checkpoint's
    /// mapping; the identity for older ones). Throws `DataError.labelOutOfRange` for a label the model has no class for.
    public func mapped(to classLabels: ClassLabels, path: String) throws -> Dataset {
        switch classLabels.indices(of: labels) {
        case .failure(let u):
            throw DataError.labelNotAClass(path: path, row: u.row, label: u.label, classLabels: classLabels.values)
        case .success(let idx):
            var d = self
            d.labels = idx
            d.classes = classLabels.count
            return d
        }
    }

    /// Throws `DataError` unless the rows fit a model with `inputs` features and `classes` outputs: the feature
    /// width must match and every label must be in 0..<classes. `path` and `labelColumn` name the CSV in the message.
    public func checkFits(inputs: Int, classes: Int, path: String, labelColumn: String) throws {
        guard featureCount == inputs else {
            throw DataError.featureCount(path: path, option: nil, found: featureCount, expected: inputs, labelColumn: labelColumn,
                                         expectedNames: [])
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw DataError.labelOutOfRange(path: path, row: bad, label: labels[bad], classes: classes)
        }
    }
}
