import Glibc

/// Loads numeric CSV files: a header line of column names, then rows of decimal numbers.
/// Accepts `\n` or `\r\n`, a UTF-8 BOM, spaces or tabs around fields, RFC 4180 quoting (commas, `""`
/// and line breaks inside quoted fields; header names may need it), and blank lines at the end. An empty
/// header name becomes `column<N>`. Rejects empty fields, non-finite values, ragged rows and unterminated
/// quotes with `CSVError` naming the physical line. Files without any `"` take a single-pass byte scan.
public enum CSVLoader {
    public static func load(path: String) throws -> CSVTable {
        let bytes: [UInt8]
        do { bytes = try readWholeFile(path, extraZeroBytes: 1) } catch {
            throw CSVError.unreadable(path: path, reason: error.reason)
        }
        return try bytes.withUnsafeBufferPointer { buf in
            try parse(buf.baseAddress!, count: buf.count - 1, path: path)
        }
    }

    /// Parses CSV text already in memory (`path` is used in error messages).
    public static func parse(text: String, path: String = "<memory>") throws -> CSVTable {
        try parse(bytes: Array(text.utf8), path: path)
    }

    /// Parses CSV bytes already in memory (`path` is used in error messages).
    public static func parse(bytes: [UInt8], path: String = "<memory>") throws -> CSVTable {
        var bytes = bytes
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { buf in
            try parse(buf.baseAddress!, count: buf.count - 1, path: path)
        }
    }

    @inline(__always) private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    /// Trims spaces/tabs, then one pair of surrounding double quotes.
    @inline(__always)
    private static func trim(_ p: UnsafePointer<UInt8>, _ s: inout Int, _ e: inout Int) {
        while s < e && isBlank(p[s]) { s += 1 }
        while e > s && isBlank(p[e - 1]) { e -= 1 }
        if e - s >= 2 && p[s] == 0x22 && p[e - 1] == 0x22 {
            s += 1; e -= 1
            while s < e && isBlank(p[s]) { s += 1 }
            while e > s && isBlank(p[e - 1]) { e -= 1 }
        }
    }

    /// End of the line starting at `s` (index of `\n` or `count`), and the content end without `\r`.
    @inline(__always)
    private static func lineEnd(_ p: UnsafePointer<UInt8>, _ s: Int, _ count: Int) -> (next: Int, end: Int) {
        var i = s
        while i < count && p[i] != 0x0A { i += 1 }
        var e = i
        if e > s && p[e - 1] == 0x0D { e -= 1 }
        return (i + 1, e)
    }

    private static func isBlankLine(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e { if !isBlank(p[i]) { return false }; i += 1 }
        return true
    }

    static func parse(_ p: UnsafePointer<UInt8>, count: Int, path: String) throws -> CSVTable {
        if count > 0 && memchr(p, 0x22, count) != nil { return try parseQuoted(p, count: count, path: path) }
        var pos = 0
        if count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { pos = 3 }
        var line = 0
        // Header: the first non-blank line.
        var header: [String] = []
        while pos < count {
            let (next, end) = lineEnd(p, pos, count)
            line += 1
            defer { pos = next }
            if isBlankLine(p, pos, end) { continue }
            var s = pos
            while true {
                var e = s
                while e < end && p[e] != 0x2C { e += 1 }
                let fieldEnd = e
                var a = s, b = e
                trim(p, &a, &b)
                let name = String(decoding: UnsafeBufferPointer(start: p + a, count: b - a), as: UTF8.self)
                header.append(name.isEmpty ? "column\(header.count + 1)" : name)
                if fieldEnd >= end { break }
                s = fieldEnd + 1
            }
            break
        }
        guard !header.isEmpty else { throw CSVError.empty(path: path) }
        let headerLine = line
        try checkDuplicates(header, path: path)
        let columns = header.count
        var values: [Double] = []
        // Every value takes at least two bytes ("0,"): an upper bound that avoids regrowth.
        values.reserveCapacity(min((count - pos) / 2 + columns, 1 << 28))
        var rows = 0
        var pendingBlankLine = 0  // line number of the first blank line seen since the last row
        while pos < count {
            let (next, end) = lineEnd(p, pos, count)
            line += 1
            if isBlankLine(p, pos, end) {
                if pendingBlankLine == 0 { pendingBlankLine = line }
                pos = next
                continue
            }
            if pendingBlankLine != 0 {
                throw CSVError.raggedRow(path: path, line: pendingBlankLine, expected: columns, got: 0)
            }
            var s = pos
            var col = 0
            while true {
                var e = s
                while e < end && p[e] != 0x2C { e += 1 }
                let fieldEnd = e
                if col < columns {
                    var a = s, b = e
                    trim(p, &a, &b)
                    // A wrong field count explains a bad field better than the field itself: report it first.
                    if a == b {
                        let got = fieldCount(p, pos, end)
                        if got != columns { throw CSVError.raggedRow(path: path, line: line, expected: columns, got: got) }
                        throw CSVError.emptyField(path: path, line: line, column: col + 1, name: header[col])
                    }
                    guard let v = DecimalParser.parse(p, a, b), v.isFinite else {
                        let got = fieldCount(p, pos, end)
                        if got != columns { throw CSVError.raggedRow(path: path, line: line, expected: columns, got: got) }
                        let text = String(decoding: UnsafeBufferPointer(start: p + a, count: b - a), as: UTF8.self)
                        throw CSVError.notANumber(path: path, line: line, column: col + 1, name: header[col], text: text)
                    }
                    values.append(v)
                }
                col += 1
                if fieldEnd >= end { break }
                s = fieldEnd + 1
            }
            if col != columns { throw CSVError.raggedRow(path: path, line: line, expected: columns, got: col) }
            rows += 1
            pos = next
        }
        guard rows > 0 else { throw CSVError.noRows(path: path) }
        return CSVTable(path: path, header: header, rows: rows, values: values, headerLine: headerLine)
    }

    private static func fieldCount(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var n = 1
        var i = s
        while i < e { if p[i] == 0x2C { n += 1 }; i += 1 }
        return n
    }

    /// The general path for files with quotes: RFC 4180 records, then the same checks as the byte scan.
    private static func parseQuoted(_ p: UnsafePointer<UInt8>, count: Int, path: String) throws -> CSVTable {
        var reader = CSVRecordReader(p, count: count, path: path)
        var record = CSVRecord()
        let (header, headerLine) = try reader.header(into: &record)
        let columns = header.count
        var values: [Double] = []
        var rows = 0
        var rowLines: [Int] = []
        var pendingBlankLine = 0
        while try reader.nextRow(into: &record, columns: columns, pendingBlankLine: &pendingBlankLine) {
            try record.bytes.withUnsafeBufferPointer { buf in
                for c in 0..<columns {
                    let r = record.range(c)
                    var a = r.lowerBound, b = r.upperBound
                    while a < b && (buf[a] == 0x20 || buf[a] == 0x09) { a += 1 }
                    while b > a && (buf[b - 1] == 0x20 || buf[b - 1] == 0x09) { b -= 1 }
                    if a == b { throw CSVError.emptyField(path: path, line: record.line, column: c + 1, name: header[c]) }
                    guard let base = buf.baseAddress, let v = DecimalParser.parse(base, a, b), v.isFinite else {
                        throw CSVError.notANumber(path: path, line: record.line, column: c + 1, name: header[c],
                                                  text: String(decoding: buf[a..<b], as: UTF8.self))
                    }
                    values.append(v)
                }
            }
            rows += 1
            rowLines.append(record.line)
        }
        guard rows > 0 else { throw CSVError.noRows(path: path) }
        let spansLines = rowLines.enumerated().contains { $0.element != headerLine + 1 + $0.offset }
        return CSVTable(path: path, header: header, rows: rows, values: values, headerLine: headerLine,
                        rowLines: spansLines ? rowLines : [])
    }

    /// Throws `.duplicateColumn` for the first name that appears twice, with every column it is in (1-based).
    static func checkDuplicates(_ header: [String], path: String) throws {
        var firstIndex: [String: Int] = [:]
        for (i, name) in header.enumerated() {
            if let j = firstIndex[name] {
                throw CSVError.duplicateColumn(path: path, name: name,
                                               columns: [j + 1] + header.indices.filter { $0 > j && header[$0] == name }.map { $0 + 1 })
            }
            firstIndex[name] = i
        }
    }
}
