/// Splits CSV bytes into records as RFC 4180 says: fields separated by commas, records by `\n` or `\r\n`;
/// a field whose first non-blank byte is `"` is quoted: it runs to the next lone `"`, may hold commas,
/// `\r`, `\n`, and `""` stands for one quote; only spaces or tabs may follow its closing quote.
/// Unquoted fields are taken verbatim (a stray `"` inside one is kept). Lines are physical lines (1-based),
/// so a record spanning lines is reported at the line where it starts. Works on a borrowed buffer.
struct CSVRecordReader {
    let p: UnsafePointer<UInt8>
    let count: Int
    let path: String
    private(set) var pos: Int
    /// Physical line of `pos`.
    private(set) var line: Int

    init(_ p: UnsafePointer<UInt8>, count: Int, path: String) {
        self.p = p; self.count = count; self.path = path
        pos = (count >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0
        line = 1
    }

    var atEnd: Bool { pos >= count }

    /// The header: the first non-blank record's trimmed names (`columnK` for empty ones), with duplicates refused.
    mutating func header(into record: inout CSVRecord) throws -> (names: [String], line: Int) {
        while try next(into: &record) {
            if record.isBlank { continue }
            let names = (0..<record.fieldCount).map { i -> String in
                let name = record.trimmed(i)
                return name.isEmpty ? "column\(i + 1)" : name
            }
            try CSVLoader.checkDuplicates(names, path: path)
            return (names, record.line)
        }
        throw CSVError.empty(path: path)
    }

    /// The next data row with exactly `columns` fields; false at the end. Blank lines are skipped at the end
    /// of the file only: a blank line followed by data is a ragged row at the blank line.
    mutating func nextRow(into record: inout CSVRecord, columns: Int, pendingBlankLine: inout Int) throws(CSVError) -> Bool {
        while try next(into: &record) {
            if record.isBlank {
                if pendingBlankLine == 0 { pendingBlankLine = record.line }
                continue
            }
            if pendingBlankLine != 0 { throw CSVError.raggedRow(path: path, line: pendingBlankLine, expected: columns, got: 0) }
            if record.fieldCount != columns {
                throw CSVError.raggedRow(path: path, line: record.line, expected: columns, got: record.fieldCount)
            }
            return true
        }
        return false
    }

    /// Reads the next record into `record` (its fields' bytes, unescaped). False at the end of the input.
    mutating func next(into record: inout CSVRecord) throws(CSVError) -> Bool {
        guard pos < count else { return false }
        record.removeAll()
        record.line = line
        var allBlank = true
        while true {
            // One field, starting at pos.
            var s = pos
            while s < count && (p[s] == 0x20 || p[s] == 0x09) { s += 1 }
            if s < count && p[s] == 0x22 {
                allBlank = false
                let openLine = line
                var i = s + 1
                while true {
                    guard i < count else { throw CSVError.unterminatedQuote(path: path, line: openLine) }
                    let c = p[i]
                    if c == 0x22 {
                        if i + 1 < count && p[i + 1] == 0x22 { record.bytes.append(0x22); i += 2; continue }
                        i += 1
                        break
                    }
                    if c == 0x0A { line += 1 }
                    record.bytes.append(c)
                    i += 1
                }
                while i < count && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
                record.endField(quoted: true)
                if i < count && p[i] == 0x2C { pos = i + 1; continue }
                if i >= count { pos = i; break }
                if p[i] == 0x0A || (p[i] == 0x0D && i + 1 < count && p[i + 1] == 0x0A) || (p[i] == 0x0D && i + 1 == count) {
                    pos = p[i] == 0x0D ? i + 2 : i + 1
                    line += 1
                    break
                }
                throw CSVError.textAfterQuote(path: path, line: line, column: record.fieldCount,
                                              text: String(decoding: UnsafeBufferPointer(start: p + i, count: min(count - i, 20)), as: UTF8.self))
            }
            var e = pos
            while e < count && p[e] != 0x2C && p[e] != 0x0A { e += 1 }
            var end = e
            if (e == count || p[e] == 0x0A) && end > pos && p[end - 1] == 0x0D { end -= 1 }
            if allBlank {
                var k = pos
                while k < end { if p[k] != 0x20 && p[k] != 0x09 { allBlank = false; break }; k += 1 }
            }
            record.bytes.append(contentsOf: UnsafeBufferPointer(start: p + pos, count: end - pos))
            record.endField(quoted: false)
            if e < count && p[e] == 0x2C { pos = e + 1; continue }
            pos = e < count ? e + 1 : e
            if e < count { line += 1 }
            break
        }
        record.isBlank = allBlank && record.fieldCount == 1
        return true
    }
}

/// One record's fields: their unescaped bytes back to back, with end offsets. Reused between records.
struct CSVRecord {
    var line = 0
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var quoted: [Bool] = []
    /// True for a line with nothing but spaces or tabs (no quotes, no comma).
    var isBlank = false

    var fieldCount: Int { ends.count }
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true); isBlank = false
    }
    mutating func endField(quoted q: Bool) { ends.append(bytes.count); quoted.append(q) }
    func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }
    /// Field `i` as a string, verbatim.
    func string(_ i: Int) -> String { String(decoding: bytes[range(i)], as: UTF8.self) }
    /// Field `i` without surrounding spaces or tabs (header names, numbers).
    func trimmed(_ i: Int) -> String {
        var r = range(i)
        while r.lowerBound < r.upperBound && (bytes[r.lowerBound] == 0x20 || bytes[r.lowerBound] == 0x09) { r = (r.lowerBound + 1)..<r.upperBound }
        while r.lowerBound < r.upperBound && (bytes[r.upperBound - 1] == 0x20 || bytes[r.upperBound - 1] == 0x09) { r = r.lowerBound..<(r.upperBound - 1) }
        return String(decoding: bytes[r], as: UTF8.self)
    }
}
