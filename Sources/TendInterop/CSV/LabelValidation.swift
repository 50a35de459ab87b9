/// Class labels are integers 0..<maxClasses; anything else is a `CSVError` naming file, line, column and value
/// (a label of -1 or 2147483648 used to crash training, 100000 to build a 100000-class head).
public enum LabelValidation {
    /// The `--max-classes` default: labels must be below it.
    public static let defaultMaxClasses = 1000

    /// Checks one label read as a number.
    @inline(__always)
    public static func label(value: Double, path: String, line: Int, column: String, maxClasses: Int) throws(CSVError) -> Int {
        guard value == value.rounded(), abs(value) < 9.0e15 else {
            throw .labelNotInteger(path: path, line: line, column: column, value: value)
        }
        let v = Int(value)
        if v < 0 { throw .labelNegative(path: path, line: line, column: column, value: v) }
        if v >= maxClasses { throw .labelAboveMaxClasses(path: path, line: line, column: column, value: v, maxClasses: maxClasses) }
        return v
    }

    /// Checks one label read as text (a text table's field): a decimal number with an integral value.
    /// Text that is not a number throws `.notANumber` naming the column (1-based `columnNumber`) and the text.
    public static func label(text: String, path: String, line: Int, column: String, columnNumber: Int,
                             maxClasses: Int) throws(CSVError) -> Int {
        if let v = Int(text) {
            if v < 0 { throw .labelNegative(path: path, line: line, column: column, value: v) }
            if v >= maxClasses { throw .labelAboveMaxClasses(path: path, line: line, column: column, value: v, maxClasses: maxClasses) }
            return v
        }
        var bytes = Array(text.utf8)
        let n = bytes.count
        bytes.append(0)
        let parsed: Double? = bytes.withUnsafeBufferPointer { n > 0 ? DecimalParser.parse($0.baseAddress!, 0, n) : nil }
        guard let parsed, parsed.isFinite else {
            throw .notANumber(path: path, line: line, column: columnNumber, name: column, text: text)
        }
        return try label(value: parsed, path: path, line: line, column: column, maxClasses: maxClasses)
    }
}
