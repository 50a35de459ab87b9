import TendEngine

extension Dataset {
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
