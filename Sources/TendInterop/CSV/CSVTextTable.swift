/// A CSV file read as text: a header of column names and rows of string fields (RFC 4180 quoting),
/// for text data such as `Samples/rt_polarity.csv` (`text,label`). Fields are kept verbatim (quotes removed,
/// `""` unescaped, line breaks inside quotes kept); header names are trimmed of spaces and tabs.
/// Invariant: `cells.count == rows * header.count`, row-major; `lines[r]` is the physical line row r starts on.
public struct CSVTextTable: Sendable, Equatable {
    public var path: String
    public var header: [String]
    public var rows: Int
    /// All fields, row-major (`cells[r * columns + c]`).
    public var cells: [String]
    public var lines: [Int]

    public var columns: Int { header.count }

    public init(path: String, header: [String], cells: [String], lines: [Int]) {
        precondition(!header.isEmpty && cells.count == lines.count * header.count,
                     "CSVTextTable: \(cells.count) cells do not fill \(lines.count) × \(header.count)")
        self.path = path; self.header = header; self.rows = lines.count; self.cells = cells; self.lines = lines
    }

    /// Reads `path`. Errors (`CSVError`) name the file and line: unreadable, empty, no rows, ragged rows,
    /// unterminated quotes, text after a closing quote, duplicate column names. Blank lines are allowed only at the end.
    public static func load(path: String) throws -> CSVTextTable {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path) } catch { throw CSVError.unreadable(path: path, reason: error.reason) }
        return try parse(bytes: bytes, path: path)
    }

    /// Parses CSV text in memory (`path` is used in error messages).
    public static func parse(text: String, path: String = "<memory>") throws -> CSVTextTable {
        try parse(bytes: Array(text.utf8), path: path)
    }

    /// Parses CSV bytes in memory (`path` is used in error messages).
    public static func parse(bytes: [UInt8], path: String = "<memory>") throws -> CSVTextTable {
        try bytes.withUnsafeBufferPointer { buf -> CSVTextTable in
            guard let base = buf.baseAddress, buf.count > 0 else { throw CSVError.empty(path: path) }
            var reader = CSVRecordReader(base, count: buf.count, path: path)
            var record = CSVRecord()
            let header = try reader.header(into: &record).names
            var cells: [String] = []
            var lines: [Int] = []
            var pendingBlankLine = 0
            while try reader.nextRow(into: &record, columns: header.count, pendingBlankLine: &pendingBlankLine) {
                for i in 0..<record.fieldCount { cells.append(record.string(i)) }
                lines.append(record.line)
            }
            guard !lines.isEmpty else { throw CSVError.noRows(path: path) }
            return CSVTextTable(path: path, header: header, cells: cells, lines: lines)
        }
    }

    /// The index of the column named `name`, or `.columnNotFound` listing the columns.
    public func columnIndex(named name: String) throws -> Int {
        guard let c = header.firstIndex(of: name) else {
            throw CSVError.columnNotFound(path: path, name: name, columns: header)
        }
        return c
    }

    /// The fields of the column named `name`, top to bottom. With `allowEmpty: false`, a field that is empty
    /// or only whitespace throws `.emptyText` naming its line (a text to embed or serve must have content).
    public func column(named name: String, allowEmpty: Bool = true) throws -> [String] {
        let c = try columnIndex(named: name)
        var out: [String] = []
        out.reserveCapacity(rows)
        for r in 0..<rows {
            let field = cells[r * columns + c]
            if !allowEmpty && field.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
                throw CSVError.emptyText(path: path, line: lines[r], column: name)
            }
            out.append(field)
        }
        return out
    }

    /// The column named `name` as class labels: integers 0..<`maxClasses` (`.labelNotInteger`,
    /// `.labelNegative`, `.labelAboveMaxClasses` name the line and value otherwise).
    public func labels(named name: String, maxClasses: Int = LabelValidation.defaultMaxClasses) throws -> [Int] {
        let c = try columnIndex(named: name)
        return try (0..<rows).map { r in
            let text = cells[r * columns + c].trimmingBlanks()
            return try LabelValidation.label(text: text, path: path, line: lines[r], column: name, columnNumber: c + 1,
                                             maxClasses: maxClasses)
        }
    }

    /// The field at row `r`, column `c` (0-based).
    public subscript(r: Int, c: Int) -> String { cells[r * columns + c] }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
