/// A data file (CSV) that does not fit the command: missing, too short, without a column, or with labels
/// or widths the model cannot take. Descriptions start with the file's path where there is one.
public enum DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `role` is what the file is for ("data file", "rules file"); `hint` is appended in parentheses.
    case missingFile(path: String, role: String, hint: String?)
    /// The file exists but cannot be read.
    case unreadable(path: String, role: String)
    /// `rows` data rows where `needed` are required (`why` says for what).
    case tooFewRows(path: String, rows: Int, needed: Int, why: String)
    /// No data rows at all; `option` is the flag that named the file, if any.
    case noRows(path: String, option: String?)
    /// The file's feature width differs from the model's; `labelColumn` is excluded from `found`;
    /// `expectedNames` are the first of the model's feature names (may be empty); `option` named the file.
    case featureCount(path: String, option: String?, found: Int, expected: Int, labelColumn: String?, expectedNames: [String])
    /// No column `column`; `purpose` is the flag that wanted it, `reference` the file that has it.
    case missingColumn(path: String, column: String, purpose: String?, reference: String?, columns: [String])
    /// Only the label column: nothing for a model to read.
    case noFeatureColumns(path: String, labelColumn: String)
    /// A label outside the model's classes (`row` is 0-based among data rows).
    case labelOutOfRange(path: String, row: Int, label: Int, classes: Int)
    /// A data row (0-based) whose label is none of the model's class labels (the checkpoint's `class_labels`).
    case labelNotAClass(path: String, row: Int, label: Int, classLabels: [Int])
    /// A value in a class column that is not a non-negative integer (`line` is the file line).
    case notAClassIndex(path: String, line: Int, column: String, value: Double)

    /// Where to find data to try: the CSVs shipped in the repository.
    public static let bundledSamplesHint = "the bundled samples are Samples/digits.csv and Samples/breast_cancer.csv"

    public var description: String {
        switch self {
        case let .missingFile(path, role, hint):
            return "\(role) \(path) does not exist" + (hint.map { " (\($0))" } ?? "")
        case let .unreadable(path, role):
            return "\(role) \(path) cannot be read; check its permissions"
        case let .tooFewRows(path, rows, needed, why):
            return "\(path) has \(rows) rows; need at least \(needed) \(why)"
        case let .noRows(path, option):
            return "\(option.map { "\($0) " } ?? "")\(path) has no rows; give a CSV with a header and data rows"
        case let .featureCount(path, option, found, expected, labelColumn, names):
            let besides = labelColumn.map { " (besides \($0))" } ?? ""
            let which = names.isEmpty ? "" : " (\(names.joined(separator: ", "))…)"
            return "\(option.map { "\($0) " } ?? "")\(path) has \(found) feature columns\(besides); the model takes \(expected)\(which)"
        case let .missingColumn(path, column, purpose, reference, columns):
            let purposeText = purpose.map { " for \($0)" } ?? ""
            let ref = reference.map { "it is in \($0); " } ?? ""
            return "\(path): no column \"\(column)\"\(purposeText) (\(ref)columns: \(columns.joined(separator: ", ")))"
        case let .noFeatureColumns(path, labelColumn):
            return "\(path) has no feature columns besides \(labelColumn); give a CSV with feature columns, or name the label with --label"
        case let .labelOutOfRange(path, row, label, classes):
            return "\(path): data row \(row) has label \(label), outside the model's \(classes) classes 0..\(classes - 1); check --label names the label column"
        case let .labelNotAClass(path, row, label, classLabels):
            let shown = classLabels.prefix(20).map(String.init).joined(separator: ", ") + (classLabels.count > 20 ? ", …" : "")
            return "\(path): data row \(row) has label \(label), which is none of the model's \(classLabels.count) class labels (\(shown)); check --label names the label column"
        case let .notAClassIndex(path, line, column, value):
            return "\(path):\(line): column \(column) value \(value) is not a class index (expected an integer ≥ 0)"
        }
    }
}
