/// Why a CSV file could not be loaded. Lines are 1-based and count the header line;
/// columns are 1-based. Every message names the file so a user can fix it.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadable(path: String, reason: String)
    /// The file has no content at all (or only blank lines).
    case empty(path: String)
    /// The file has a header but no data rows.
    case noRows(path: String)
    /// A row's field count differs from the header's.
    case raggedRow(path: String, line: Int, expected: Int, got: Int)
    /// A field is empty (missing value).
    case emptyField(path: String, line: Int, column: Int, name: String)
    /// A field is not a finite decimal number.
    case notANumber(path: String, line: Int, column: Int, name: String, text: String)
    /// Two header columns share a name.
    case duplicateColumn(path: String, name: String, columns: [Int])
    /// The label column holds a value that is not an integer.
    case labelNotInteger(path: String, line: Int, column: String, value: Double)
    /// The requested label column does not exist.
    case labelNotFound(path: String, label: String, columns: [String])
    /// A table needs at least one feature column besides the label.
    case noFeatureColumns(path: String, label: String)
    /// A quoted field is not closed before the end of the file; `line` is where its opening quote is.
    case unterminatedQuote(path: String, line: Int)
    /// Something other than a comma, a line end or blanks follows a quoted field's closing quote.
    case textAfterQuote(path: String, line: Int, column: Int, text: String)
    /// A requested column (for example `--text-column`) does not exist.
    case columnNotFound(path: String, name: String, columns: [String])
    /// A text field that must hold text is empty or only whitespace.
    case emptyText(path: String, line: Int, column: String)
    /// A class label is negative.
    case labelNegative(path: String, line: Int, column: String, value: Int)
    /// A class label needs more classes than allowed (`--max-classes`).
    case labelAboveMaxClasses(path: String, line: Int, column: String, value: Int, maxClasses: Int)

    public var description: String {
        switch self {
        case let .unreadable(path, reason):
            return "\(path): cannot read the file: \(reason)"
        case let .empty(path):
            return "\(path): the file is empty; expected a header line of column names and rows of numbers"
        case let .noRows(path):
            return "\(path): the file has a header but no data rows"
        case let .raggedRow(path, line, expected, got):
            return got == 0
                ? "\(path):\(line): blank line inside the data; expected \(expected) columns"
                : "\(path):\(line): expected \(expected) columns (as in the header), got \(got)"
        case let .emptyField(path, line, column, name):
            return "\(path):\(line): column \(column) (\"\(name)\") is empty; every field needs a number"
        case let .notANumber(path, line, column, name, text):
            return "\(path):\(line): column \(column) (\"\(name)\"): \"\(text)\" is not a finite number"
        case let .duplicateColumn(path, name, columns):
            return "\(path):1: column name \"\(name)\" appears more than once (columns \(columns.map(String.init).joined(separator: ", ")))"
        case let .labelNotInteger(path, line, column, value):
            return "\(path):\(line): label column \"\(column)\" holds \(value), which is not an integer class id"
        case let .labelNotFound(path, label, columns):
            return "\(path): no column named \"\(label)\"; columns are: \(columns.joined(separator: ", "))"
        case let .noFeatureColumns(path, label):
            return "\(path): the only column is the label \"\(label)\"; there are no feature columns"
        case let .unterminatedQuote(path, line):
            return "\(path):\(line): the quoted field that opens on this line is never closed (a \" is missing; write a quote inside a field as \"\")"
        case let .textAfterQuote(path, line, column, text):
            return "\(path):\(line): column \(column): \"\(text)\" follows a closing quote; a quoted field must end at a comma or the line end (write a quote inside a field as \"\")"
        case let .columnNotFound(path, name, columns):
            return "\(path): no column named \"\(name)\"; columns are: \(columns.joined(separator: ", "))"
        case let .emptyText(path, line, column):
            return "\(path):\(line): column \"\(column)\" is empty; every row needs a text"
        case let .labelNegative(path, line, column, value):
            return "\(path):\(line): label column \"\(column)\" holds \(value); class labels are integers 0, 1, 2, …"
        case let .labelAboveMaxClasses(path, line, column, value, maxClasses):
            return "\(path):\(line): label column \"\(column)\" holds \(value), which needs \(value + 1) classes, more than --max-classes \(maxClasses); class labels are 0..<classes (raise --max-classes if this is intended)"
        }
    }
}
