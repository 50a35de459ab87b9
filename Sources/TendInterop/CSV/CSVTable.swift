/// A numeric CSV file: a header of column names and `rows` rows of `columns` numbers.
/// Invariant: `values.count == rows * columns`, row-major; `header.count == columns`.
public struct CSVTable: Sendable, Equatable {
    public var path: String
    public var header: [String]
    public var columns: Int
    public var rows: Int
    /// All fields, row-major (`values[r * columns + c]`).
    public var values: [Double]
    /// The 1-based line number of the header (1 unless blank lines precede it); row `r` is on line `headerLine + 1 + r`.
    public var headerLine: Int
    /// Each row's first physical line when quoted line breaks make rows span lines; empty when row r is on
    /// line `headerLine + 1 + r`.
    public var rowLines: [Int]

    public init(path: String, header: [String], rows: Int, values: [Double], headerLine: Int = 1, rowLines: [Int] = []) {
        precondition(values.count == rows * header.count, "CSVTable: \(values.count) values do not fill \(rows) × \(header.count)")
        precondition(rowLines.isEmpty || rowLines.count == rows, "CSVTable: \(rowLines.count) row lines for \(rows) rows")
        self.path = path; self.header = header; self.columns = header.count; self.rows = rows
        self.values = values; self.headerLine = headerLine; self.rowLines = rowLines
    }

    /// The value at row `r`, column `c` (0-based).
    public subscript(r: Int, c: Int) -> Double { values[r * columns + c] }

    /// The 1-based file line of data row `r` (0-based).
    public func line(ofRow r: Int) -> Int { rowLines.isEmpty ? headerLine + 1 + r : rowLines[r] }

    /// All values of one column, top to bottom.
    public func column(_ c: Int) -> [Double] { (0..<rows).map { values[$0 * columns + c] } }
}
